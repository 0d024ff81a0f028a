// Library and compare in the demo: make v1 and v2 → the library shows both → search narrows it →
// opening a card shows that version in its chat → compare plays both in step (also after a seek) →
// deleting a version (after confirming) removes its local file and its card. Screenshots of both
// screens in the system language (light), then in the other language with the dark theme.
import fs from "node:fs";
import path from "node:path";
import { expect } from "@wdio/globals";
import {
  appDataDir,
  assertNotDevBuild,
  assertUiLanguage,
  byTestId,
  clearField,
  expectedUiLanguage,
  invoke,
  saveScreenshot,
  sendPrompt,
  startDemoFromWelcome,
  storedConversations,
  tid,
  turnSel,
  typeInto,
  waitForAppReady,
  waitForTurnStatus,
  clickInSettledList,
} from "../helpers.mjs";

const FIRST = "生成一段高清的,牛马跳舞的视频";
const FOLLOW_UP = "让牛的头上顶着光圈";
const SEARCH = "光圈";

/** The strings this spec looks for (ui/src/i18n). */
const TEXT = {
  en: { library: "Library", deleteTitle: (v) => `Delete v${v} from the library?`, label: (v, p) => `v${v} · ${p}` },
  "zh-CN": { library: "视频库", deleteTitle: (v) => `从视频库中删除 v${v}？`, label: (v, p) => `v${v} · ${p}` },
};

/** The library's cards as [turn id, version] pairs, in order. */
async function cards() {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="library-card"]')].map((c) => [
      c.getAttribute("data-turn-id"),
      c.getAttribute("data-version"),
    ]),
  );
}

async function waitForCards(want, message) {
  let last = null;
  await browser
    .waitUntil(
      async () => {
        last = await cards();
        return JSON.stringify(last) === JSON.stringify(want);
      },
      { timeout: 10_000, interval: 100 },
    )
    .catch(() => {
      throw new Error(`${message}: cards ${JSON.stringify(last)}, wanted ${JSON.stringify(want)}`);
    });
}

/** Both compare videos' state, read in one round trip. */
async function compareVideos() {
  return browser.execute(() =>
    ["left", "right"].map((side) => {
      const v = document.querySelector(`[data-testid="compare-video-${side}"]`);
      return v
        ? {
            t: v.currentTime,
            paused: v.paused,
            seeking: v.seeking,
            readyState: v.readyState,
            duration: v.duration,
            src: v.currentSrc,
          }
        : null;
    }),
  );
}

/** Sets the shared seek bar like a user dragging it (React listens to the input event). */
async function seekCompare(seconds) {
  await browser.execute((value) => {
    const input = document.querySelector('[data-testid="compare-seek"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    setter.call(input, String(value));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, seconds);
}

/** Each compare side's label: its version picker's chosen entry ("v2 · prompt"). */
async function compareLabels() {
  return browser.execute(() =>
    ["left", "right"].map(
      (side) => document.querySelector(`[data-testid="compare-pick-${side}"]`)?.selectedOptions[0]?.textContent ?? null,
    ),
  );
}

/**
 * Waits until the element with this test id reads `want`. Read from the DOM: WebKitWebDriver's element
 * text comes back empty for the library's one-line heading (overflow hidden, no wrap).
 */
async function expectText(testId, want) {
  let text = null;
  await browser
    .waitUntil(
      async () => {
        text = await browser.execute((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null, testId);
        return text === want;
      },
      { timeout: 5_000, interval: 100 },
    )
    .catch(() => {
      throw new Error(`${testId} reads ${JSON.stringify(text)}, not ${JSON.stringify(want)}`);
    });
}

async function openLibrary() {
  await (await byTestId("open-library")).click();
  await (await byTestId("library-view")).waitForDisplayed({ timeout: 10_000 });
}

/** Opens the compare view from v2's card in the chat and waits until both videos can play. */
async function openCompareFromChat(turnId) {
  await clickInSettledList(turnSel(turnId, "compare-with"), tid("compare-dialog"));
  let last = null;
  await browser
    .waitUntil(
      async () => {
        last = await compareVideos();
        return last.every((v) => v && v.readyState >= 2 && v.duration > 0);
      },
      { timeout: 30_000, interval: 200 },
    )
    .catch(() => {
      throw new Error(`the compare videos do not load: ${JSON.stringify(last)}`);
    });
  await browser.waitUntil(async () => (await byTestId("compare-play")).isEnabled(), { timeout: 10_000 });
}

/**
 * Screenshot of the compare view once both videos show the frame they were moved to. Taken before the
 * videos first play: under Xvfb, once a video has played, WebKitWebDriver's window snapshot leaves its
 * area black (the sync checks read currentTime, not pixels).
 */
async function screenshotCompare(name) {
  await browser.waitUntil(async () => (await compareVideos()).every((v) => !v.seeking && v.readyState >= 2), {
    timeout: 10_000,
    timeoutMsg: "the compare videos do not settle on a frame",
  });
  await browser.pause(300); // let WebKit paint the new frames
  await saveScreenshot(name);
}

async function closeCompare() {
  await (await byTestId("compare-close")).click();
  await (await byTestId("compare-dialog")).waitForExist({ reverse: true, timeout: 10_000 });
}

describe("library and compare", function () {
  // Each step needs the one before it.
  this.bail(true);
  const lang = expectedUiLanguage();
  const T = TEXT[lang];
  const ids = { conversation: null, v1: null, v2: null };
  /** The language the app shows now (the spec switches it near the end). */
  const state = { lang };

  before(async () => {
    await assertNotDevBuild();
    await waitForAppReady();
    await assertUiLanguage();
    await startDemoFromWelcome();
  });

  it("the library says what to do before there is any video", async () => {
    await openLibrary();
    await expect(await byTestId("library-empty")).toBeDisplayed();
    await expectText("library-heading", T.library);
    await (await byTestId("library-new-chat")).click();
    await (await byTestId("composer-input")).waitForDisplayed({ timeout: 10_000 });
  });

  it("makes v1 and v2 in the demo", async () => {
    ids.v1 = await sendPrompt(FIRST);
    await waitForTurnStatus(ids.v1, "succeeded", { timeout: 90_000 });
    ids.v2 = await sendPrompt(FOLLOW_UP);
    const s = await waitForTurnStatus(ids.v2, "succeeded", { timeout: 90_000 });
    expect(s.version).toBe("2");
    // Both local copies are saved (the library shows their posters).
    await browser.waitUntil(
      () => {
        const c = storedConversations().find((x) => x.turns.some((t) => t.id === ids.v2));
        ids.conversation = c?.id ?? null;
        return c?.turns.every((t) => t.media.state === "done" && t.media.video && t.media.preview) ?? false;
      },
      { timeout: 30_000, timeoutMsg: "the local copies were not saved" },
    );
  });

  it("the library shows both versions with their posters", async () => {
    await openLibrary();
    await waitForCards([[ids.v2, "2"], [ids.v1, "1"]], "the library does not list v2 then v1");
    const posters = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="library-card"] img')].map((img) => ({
        src: img.currentSrc,
        loaded: img.complete && img.naturalWidth > 0,
      })),
    );
    const mediaBase = await invoke("media_base_url");
    expect(posters).toHaveLength(2);
    for (const p of posters) expect(p.src.startsWith(mediaBase)).toBe(true);
    await browser.waitUntil(
      async () =>
        browser.execute(() =>
          [...document.querySelectorAll('[data-testid="library-card"] img')].every((i) => i.complete && i.naturalWidth > 0),
        ),
      { timeout: 10_000, timeoutMsg: "the posters do not load from the media server" },
    );
    expect(await browser.execute(() => document.querySelectorAll('[data-testid="library-grid"] video').length)).toBe(0);
    await saveScreenshot("library");
  });

  it("search narrows the cards, and clearing it brings them back", async () => {
    const search = await byTestId("library-search");
    await typeInto(search, SEARCH);
    await waitForCards([[ids.v2, "2"]], `searching "${SEARCH}" does not leave only v2`);
    await clearField(search);
    await waitForCards([[ids.v2, "2"], [ids.v1, "1"]], "clearing the search does not bring v1 back");
  });

  it("opening v1's card shows its chat scrolled to v1, highlighted", async () => {
    await (await $(`${tid("library-card")}[data-turn-id="${ids.v1}"] ${tid("library-open")}`)).click();
    await $(turnSel(ids.v1)).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(async () => (await $(turnSel(ids.v1)).getAttribute("data-focused")) === "true", {
      timeout: 5_000,
      timeoutMsg: "v1 is not highlighted",
    });
    // v1's top is in view at the top of the list (the chat otherwise opens at the bottom, on v2).
    let place = null;
    await browser
      .waitUntil(
        async () => {
          place = await browser.execute((sel) => {
            const list = document.querySelector('[data-testid="message-list"]').getBoundingClientRect();
            const turn = document.querySelector(sel).getBoundingClientRect();
            return { offset: turn.top - list.top, listHeight: list.height };
          }, turnSel(ids.v1));
          return place.offset >= -2 && place.offset < 80;
        },
        { timeout: 8_000, interval: 100 },
      )
      .catch(() => {
        throw new Error(`v1 is not at the top of the chat: ${JSON.stringify(place)}`);
      });
    await expect(await byTestId("open-library")).not.toHaveAttribute("aria-current", "page");
    await saveScreenshot("library-opened");
  });

  it("compare plays v2 and v1 side by side, in step, also after a seek", async () => {
    await openCompareFromChat(ids.v2);
    await expect(await byTestId("compare-left")).toHaveAttribute("data-turn-id", ids.v2);
    await expect(await byTestId("compare-right")).toHaveAttribute("data-turn-id", ids.v1);
    expect(await compareLabels()).toEqual([T.label(2, FOLLOW_UP), T.label(1, FIRST)]);
    const mediaBase = await invoke("media_base_url");
    for (const v of await compareVideos()) expect(v.src.startsWith(mediaBase)).toBe(true);

    await seekCompare(1.5);
    await screenshotCompare("compare");

    await seekCompare(0);
    await (await byTestId("compare-play")).click();
    let last = null;
    await browser
      .waitUntil(
        async () => {
          last = await compareVideos();
          return last.every((v) => !v.paused && v.t > 0.2);
        },
        { timeout: 15_000, interval: 50 },
      )
      .catch(() => {
        throw new Error(`both videos do not play: ${JSON.stringify(last)}`);
      });

    // Seek both to 1 s with the shared bar: both continue from there, together.
    await seekCompare(1);
    await browser
      .waitUntil(
        async () => {
          last = await compareVideos();
          return last.every((v) => !v.paused && v.t > 1.2);
        },
        { timeout: 15_000, interval: 50 },
      )
      .catch(() => {
        throw new Error(`both videos do not play on after the seek: ${JSON.stringify(last)}`);
      });
    expect(Math.abs(last[0].t - last[1].t)).toBeLessThan(0.5);
    expect(last.every((v) => v.t < 2.9)).toBe(true); // from the seek point, not from further on

    // One button pauses both.
    await (await byTestId("compare-play")).click();
    await browser.waitUntil(async () => (await compareVideos()).every((v) => v.paused), {
      timeout: 5_000,
      timeoutMsg: "pause did not stop both",
    });
    await seekCompare(1.5);
    await browser.waitUntil(
      async () => (await compareVideos()).every((v) => Math.abs(v.t - 1.5) < 0.05),
      { timeout: 5_000, timeoutMsg: "seeking while paused did not move both" },
    );
    await closeCompare();
  });

  it("selecting two cards in the library opens them in compare too", async () => {
    await openLibrary();
    for (const id of [ids.v1, ids.v2]) {
      await (await $(`${tid("library-card")}[data-turn-id="${id}"] ${tid("library-select")}`)).click();
    }
    await (await byTestId("library-compare")).click();
    await (await byTestId("compare-dialog")).waitForDisplayed({ timeout: 10_000 });
    await expect(await byTestId("compare-left")).toHaveAttribute("data-turn-id", ids.v1);
    await expect(await byTestId("compare-right")).toHaveAttribute("data-turn-id", ids.v2);
    await closeCompare();
  });

  it("both screens in the other language, dark (after a restart: the library is read from disk)", async () => {
    const other = lang === "zh-CN" ? "en" : "zh-CN";
    await invoke("update_settings", { patch: { language: other, theme: "dark" } });
    await browser.reloadSession();
    await waitForAppReady();
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === other, {
      timeout: 10_000,
      timeoutMsg: `the app did not switch to ${other}`,
    });
    state.lang = other;
    const suffix = other === "en" ? "dark-en" : "dark-zh";
    await openLibrary();
    await expectText("library-heading", TEXT[other].library);
    await waitForCards([[ids.v2, "2"], [ids.v1, "1"]], "after the restart the library changed");
    await browser.waitUntil(
      async () =>
        browser.execute(() =>
          [...document.querySelectorAll('[data-testid="library-card"] img')].every((i) => i.complete && i.naturalWidth > 0),
        ),
      { timeout: 10_000, timeoutMsg: "the posters do not load after the restart" },
    );
    await saveScreenshot(`library-${suffix}`);
    await (await $(`${tid("library-card")}[data-turn-id="${ids.v2}"] ${tid("library-open")}`)).click();
    await openCompareFromChat(ids.v2);
    expect((await compareLabels())[0]).toBe(TEXT[other].label(2, FOLLOW_UP));
    await seekCompare(1.5);
    await browser.waitUntil(
      async () => (await compareVideos()).every((v) => Math.abs(v.t - 1.5) < 0.05),
      { timeout: 5_000, timeoutMsg: "seeking did not move both" },
    );
    await screenshotCompare(`compare-${suffix}`);
    await closeCompare();
  });

  it("deleting v1 from the library asks first, then removes its local file and its card", async () => {
    const stored = storedConversations().find((c) => c.id === ids.conversation);
    const before = Object.fromEntries(stored.turns.map((t) => [t.id, t]));
    const v1Video = path.join(appDataDir(), "media", before[ids.v1].media.video);
    const v1Poster = path.join(appDataDir(), "media", before[ids.v1].media.preview);
    const v2Video = path.join(appDataDir(), "media", before[ids.v2].media.video);
    expect(fs.existsSync(v1Video) && fs.existsSync(v1Poster)).toBe(true);

    await openLibrary();
    await waitForCards([[ids.v2, "2"], [ids.v1, "1"]], "the library does not list v2 then v1");
    await (await $(`${tid("library-card")}[data-turn-id="${ids.v1}"] ${tid("library-delete")}`)).click();
    const dialog = await byTestId("confirm-dialog");
    await dialog.waitForDisplayed({ timeout: 5_000 });
    await expect(dialog.$(".modal-title")).toHaveText(TEXT[state.lang].deleteTitle(1));
    await saveScreenshot(`library-delete-${state.lang === "en" ? "en" : "zh"}`);
    // Cancelling keeps everything.
    await (await byTestId("confirm-cancel")).click();
    await dialog.waitForExist({ reverse: true, timeout: 5_000 });
    expect(fs.existsSync(v1Video)).toBe(true);

    await (await $(`${tid("library-card")}[data-turn-id="${ids.v1}"] ${tid("library-delete")}`)).click();
    await (await byTestId("confirm-ok")).click();
    await waitForCards([[ids.v2, "2"]], "v1's card is still there");
    expect(fs.existsSync(v1Video)).toBe(false);
    expect(fs.existsSync(v1Poster)).toBe(false);
    expect(fs.existsSync(v2Video)).toBe(true);

    // The conversation keeps v1's turn, text unchanged, marked as removed.
    const after = storedConversations().find((c) => c.id === ids.conversation);
    const v1 = after.turns.find((t) => t.id === ids.v1);
    expect(v1.content).toBe(before[ids.v1].content);
    expect(v1.version).toBe(1);
    expect(v1.media.video).toBeNull();
    expect(typeof v1.media.removed_at).toBe("number");

    // In the chat, v1 says it was deleted and v2 still has its video.
    await (await $(`${tid("conversation-item")}[data-id="${ids.conversation}"] .conv-main`)).click();
    await $(turnSel(ids.v1, "media-removed")).waitForExist({ timeout: 10_000 });
    await expect($(turnSel(ids.v1, "video-player"))).not.toBeExisting();
    await expect($(turnSel(ids.v2, "video-player"))).toBeExisting();
    await $(turnSel(ids.v1)).scrollIntoView({ block: "start" });
    await saveScreenshot("version-deleted");
  });

  it("F1 shows the keyboard shortcuts; Ctrl+Shift+L opens the library; Escape closes the sheet", async () => {
    await browser.keys("F1");
    const sheet = await byTestId("shortcuts-help");
    await sheet.waitForDisplayed({ timeout: 10_000 });
    const rows = await browser.execute(() => document.querySelectorAll('[data-testid^="shortcut-"]').length);
    expect(rows).toBe(6);
    await saveScreenshot("shortcuts");
    await browser.keys("Escape");
    await sheet.waitForExist({ reverse: true, timeout: 10_000 });
    await browser.keys(["Control", "Shift", "l"]);
    await (await byTestId("library-view")).waitForDisplayed({ timeout: 10_000 });
  });
});
