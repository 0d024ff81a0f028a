import { expect } from "@wdio/globals";
import { assertNotDevBuild, byTestId, expectedUiLanguage, saveScreenshot, texts } from "../helpers.mjs";

const VERSION = {
  en: (v) => `Version ${v}`,
  "zh-CN": (v) => `版本 ${v}`,
};

describe("smoke", () => {
  const uiLang = expectedUiLanguage();

  before(async () => {
    // A plain `cargo build` makes a dev binary that loads the Vite dev server instead of the
    // embedded frontend: say so instead of failing on a blank page.
    await assertNotDevBuild();
  });

  it("opens on the welcome screen with the app title (fresh profile)", async () => {
    await (await byTestId("welcome")).waitForDisplayed({ timeout: 30_000 });
    const title = await byTestId("welcome", ' [data-testid="app-title"]');
    await expect(title).toBeDisplayed();
    await expect(title).toHaveText("ReelChat");
    expect(await browser.getTitle()).toBe("ReelChat");
  });

  it(`picks the UI language from the system locale (${process.env.E2E_LANG} → ${uiLang})`, async () => {
    const lang = await browser.execute(() => document.documentElement.lang);
    expect(lang).toBe(uiLang);
    await expect($(".welcome-heading")).toHaveText(texts().welcomeHeading);
    await expect(await byTestId("try-demo")).toHaveText(texts().tryDemo);
  });

  it("shows the version returned by app_info", async () => {
    // Ask the backend directly, then check that the page shows the same version.
    // (No `error` key in the result: WebdriverIO would take it for a WebDriver error.)
    const info = await browser.execute(() =>
      window.__TAURI_INTERNALS__
        .invoke("app_info")
        .then((value) => ({ ok: true, value }))
        .catch((e) => ({ ok: false, failure: String(e) })),
    );
    expect(info).toEqual({ ok: true, value: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) } });
    await expect($('[data-testid="app-version"]')).toHaveText(VERSION[uiLang](info.value.version));
  });

  it("runs under the strict CSP with a frozen Object.prototype", async () => {
    const probe = await browser.execute(() => {
      window.__cspProbe = false;
      const script = document.createElement("script");
      script.textContent = "window.__cspProbe = true;";
      document.head.appendChild(script);
      script.remove();
      let evalBlocked = false;
      try {
        // eslint-disable-next-line no-eval
        (0, eval)("1");
      } catch {
        evalBlocked = true;
      }
      return {
        origin: location.origin,
        inlineScriptRan: window.__cspProbe,
        evalBlocked,
        prototypeFrozen: Object.isFrozen(Object.prototype),
      };
    });
    expect(probe).toEqual({
      origin: expect.stringMatching(/^(tauri:\/\/localhost|http:\/\/tauri\.localhost)$/),
      inlineScriptRan: false,
      evalBlocked: true,
      prototypeFrozen: true,
    });
  });

  it("saves a screenshot that is not blank", async () => {
    await saveScreenshot("smoke");
  });
});
