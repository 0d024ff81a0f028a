// Settings → Network in the real app: the proxy and no-proxy fields validate, save and survive
// reopening the dialog; a file that is not a certificate is refused with a reason; the demo
// relay on loopback keeps working with a proxy set (this machine is always reached directly).
import { expect } from "@wdio/globals";
import {
  assertNotDevBuild,
  byTestId,
  clearField,
  expectedUiLanguage,
  invoke,
  saveScreenshot,
  sendPrompt,
  startDemoFromWelcome,
  turnSel,
  typeInto,
  waitForTurnStatus,
} from "../helpers.mjs";

const T = {
  en: { proxyInvalid: "Start with http://", notPem: "not a PEM certificate file" },
  "zh-CN": { proxyInvalid: "请以 http://", notPem: "not a PEM certificate file" },
}[expectedUiLanguage()];

async function openSettings() {
  await (await byTestId("open-settings")).click();
  await (await byTestId("settings-dialog")).waitForDisplayed({ timeout: 10_000 });
}

async function closeSettings() {
  await (await byTestId("settings-close")).click();
  await (await byTestId("settings-dialog")).waitForDisplayed({ reverse: true, timeout: 10_000 });
}

async function setField(id, text) {
  const input = await byTestId(id);
  await input.scrollIntoView({ block: "center" });
  await clearField(input);
  await typeInto(input, text);
  await browser.keys("Enter");
}

describe("settings: network", () => {
  before(async () => {
    await assertNotDevBuild();
    await startDemoFromWelcome();
  });

  it("refuses a proxy without a supported scheme, saves a good one", async () => {
    await openSettings();
    await setField("settings-proxy", "127.0.0.1:7890");
    await expect($('[data-testid="settings-dialog"] [role="alert"]')).toHaveText(expect.stringContaining(T.proxyInvalid));
    expect((await invoke("get_settings")).proxy_url).toBeNull();

    await setField("settings-proxy", "http://127.0.0.1:9");
    await browser.waitUntil(async () => (await invoke("get_settings")).proxy_url === "http://127.0.0.1:9", {
      timeout: 10_000,
      timeoutMsg: "the proxy was not saved",
    });
    await setField("settings-no-proxy", "Intranet.Example, .corp");
    await browser.waitUntil(async () => (await invoke("get_settings")).no_proxy === "intranet.example, .corp", {
      timeout: 10_000,
      timeoutMsg: "the no-proxy list was not saved",
    });
  });

  it("refuses a file that is not a certificate, with the reason", async () => {
    await setField("settings-ca-cert", "/etc/hostname");
    await expect(await byTestId("settings-ca-error")).toHaveText(expect.stringContaining(T.notPem));
    expect((await invoke("get_settings")).ca_cert_path).toBeNull();
    await (await byTestId("settings-ca-cert")).scrollIntoView({ block: "center" });
    await saveScreenshot("settings-network");
    await (await byTestId("settings-theme", ' [data-value="dark"]')).click();
    await (await byTestId("settings-ca-cert")).scrollIntoView({ block: "center" });
    await saveScreenshot("settings-network-dark");
    await (await byTestId("settings-theme", ' [data-value="light"]')).click();
  });

  it("keeps the values when the dialog is opened again", async () => {
    await closeSettings();
    await openSettings();
    await expect(await byTestId("settings-proxy")).toHaveValue("http://127.0.0.1:9");
    await expect(await byTestId("settings-no-proxy")).toHaveValue("intranet.example, .corp");
    await closeSettings();
  });

  it("still reaches the demo relay on this machine with a proxy set", async () => {
    const id = await sendPrompt("一只猫在跳舞");
    await waitForTurnStatus(id, "succeeded", { timeout: 90_000 });
    await expect($(turnSel(id))).toBeDisplayed();
  });
});
