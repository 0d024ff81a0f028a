// First run → demo → generate v1 → follow-up v2 → "continue from here" on v1 → v3 → restart:
// the history and the local videos are still there. One spec file: the steps build on each
// other in one fresh profile (run.sh gives the app REELCHAT_DEMO_SPEED, a few seconds per video).
import fs from "node:fs";
import path from "node:path";
import { expect } from "@wdio/globals";
import {
  appDataDir,
  assertNotDevBuild,
  assertUiLanguage,
  assertVideoPlaysLocally,
  byTestId,
  saveScreenshot,
  sendPrompt,
  storedConversations,
  texts,
  tid,
  turnIds,
  turnSel,
  turnState,
  waitForAppReady,
  waitForTurnStatus,
} from "../helpers.mjs";

const FIRST = "生成一段高清的,牛马跳舞的视频";
const FOLLOW_UP = "让牛的头上顶着光圈";
const BRANCH = "换成夜景";
const TASK_ID = /^task_[0-9a-z]+$/;

describe("demo flow: first run, generate, follow-ups, restart", function () {
  // Each step needs the one before it.
  this.bail(true);
  const T = texts();
  /** Filled in as the spec goes. */
  const ids = { conversation: null, v1: null, v2: null, v3: null, task1: null };

  before(async () => {
    await assertNotDevBuild();
    await waitForAppReady();
  });

  it("shows the welcome screen on first run, in the system language", async () => {
    const welcome = await byTestId("welcome");
    await welcome.waitForDisplayed({ timeout: 30_000 });
    await assertUiLanguage();
    await expect($(".welcome-heading")).toHaveText(T.welcomeHeading);
    await expect(await byTestId("try-demo")).toBeDisplayed();
    await expect(await byTestId("connect-base-url")).toBeDisplayed();
    await expect(await byTestId("connect-api-key")).toBeDisplayed();
    await saveScreenshot("welcome");
  });

  it("try the demo → the chat screen with a demo badge and an empty state", async () => {
    await (await byTestId("try-demo")).click();
    const badge = await byTestId("demo-badge");
    await badge.waitForDisplayed({ timeout: 20_000 });
    await expect(badge).toHaveText(T.demo);
    await expect(await byTestId("welcome")).not.toBeExisting();
    const empty = await byTestId("empty-chat");
    await empty.waitForDisplayed({ timeout: 10_000 });
    await expect(empty.$(".empty-title")).toHaveText(T.noSelectionTitle);
    await expect(await byTestId("next-target")).toHaveText(T.newVideo);
    await expect(await byTestId("composer-input")).toBeDisplayed();
    await expect(await byTestId("send-button")).toBeDisabled();
    await expect($$(tid("conversation-item"))).toBeElementsArrayOfSize(0);
    await saveScreenshot("empty-chat");
    // The badge stays: it is checked again after the first video and after the restart.
  });

  it(`generates a video for "${FIRST}" with live steps, progress and the task id`, async () => {
    const turnId = await sendPrompt(FIRST);
    ids.v1 = turnId;
    await expect(await byTestId("composer-input")).toHaveValue("");
    await expect($(turnSel(turnId, "user-prompt"))).toHaveText(expect.stringContaining(FIRST));

    // Sample the card while it runs: the queued step becomes active, the task id appears, the
    // progress bar's aria-valuenow rises.
    const samples = [];
    let queuedActive = false;
    let sawRunningItem = false;
    let shotWhileRunning = null;
    const rising = () => {
      const inRange = samples.filter((p) => p > 0 && p < 100);
      return inRange.some((p, i) => inRange.slice(i + 1).some((q) => q > p));
    };
    await browser.waitUntil(
      async () => {
        const s = await turnState(turnId);
        if (!s) return false;
        if (s.steps.queued === "active") queuedActive = true;
        if (s.taskId && !ids.task1) ids.task1 = s.taskId;
        if (s.status === "running" && s.progress !== null) samples.push(s.progress);
        if (s.status === "running" && shotWhileRunning === null && rising()) {
          // Mid-way: the progress bar has moved at least twice.
          sawRunningItem =
            (await (await byTestId("conversation-item")).getAttribute("data-running")) === "true";
          await saveScreenshot("generating");
          shotWhileRunning = (await turnState(turnId)).status === "running";
        }
        return s.status !== "running";
      },
      { timeout: 90_000, interval: 80, timeoutMsg: "the first generation did not finish" },
    );
    expect(queuedActive).toBe(true);
    expect(ids.task1).toMatch(TASK_ID);
    expect(samples.every((p) => p >= 0 && p <= 100)).toBe(true);
    // At least two different values below 100, rising over time.
    expect({ samples, increasing: rising() }).toEqual({ samples, increasing: true });
    expect(shotWhileRunning).toBe(true);
    expect(sawRunningItem).toBe(true);
  });

  it("ends succeeded as v1 and plays the local copy", async () => {
    const s = await waitForTurnStatus(ids.v1, "succeeded", { timeout: 30_000 });
    expect(s.version).toBe("1");
    expect(s.taskId).toBe(ids.task1);
    expect(s.steps).toEqual({ queued: "done", generating: "done", done: "done" });
    expect(s.remixOf).toBeNull();
    expect(s.errorKind).toBeNull();
    // Until it is played the card is its poster and one play button (no <video>, no native
    // controls); a click on the button plays it with the controls.
    const player = turnSel(ids.v1, "video-player");
    const playButton = await $(turnSel(ids.v1, "video-play"));
    await playButton.scrollIntoView({ block: "center" });
    await expect(playButton).toBeDisplayed();
    expect(await browser.execute((sel) => document.querySelectorAll(`${sel} video`).length, player)).toBe(0);
    await expect($(`${player} img`)).toBeDisplayed();
    await playButton.click();
    await browser.waitUntil(
      () =>
        browser.execute((sel) => {
          const v = document.querySelector(`${sel} video`);
          return v !== null && v.hasAttribute("controls") && !v.paused && v.currentTime > 0.2;
        }, player),
      { timeout: 20_000, interval: 200, timeoutMsg: "clicking the play button did not play v1 with its controls" },
    );
    await expect($(turnSel(ids.v1, "video-play"))).not.toBeExisting();
    const video = await assertVideoPlaysLocally(ids.v1);
    expect(video.readyState).toBeGreaterThanOrEqual(2);
    // The next message will modify v1.
    await expect(await byTestId("next-target")).toHaveText(expect.stringContaining(T.modify(1)));
    // The sidebar lists the conversation, no longer running.
    const item = await byTestId("conversation-item");
    ids.conversation = await item.getAttribute("data-id");
    expect(ids.conversation).toBeTruthy();
    await browser.waitUntil(async () => (await item.getAttribute("data-running")) === "false", {
      timeout: 10_000,
      timeoutMsg: "the conversation still shows as running",
    });
    await expect(await byTestId("demo-badge")).toBeDisplayed();
    await saveScreenshot("video");
  });

  it(`follow-up "${FOLLOW_UP}" → v2, a remix of v1`, async () => {
    const turnId = await sendPrompt(FOLLOW_UP);
    ids.v2 = turnId;
    // While it runs, the first card keeps its video.
    await expect($(turnSel(ids.v1, "video-player"))).toBeExisting();
    // The relay answers HTTP 400 unless the history on the wire is byte-exact: success proves it.
    const s = await waitForTurnStatus(turnId, "succeeded", { timeout: 90_000 });
    expect(s.version).toBe("2");
    expect(s.remixOf).toBe(T.remixOf(1));
    expect(s.taskId).toMatch(TASK_ID);
    expect(s.taskId).not.toBe(ids.task1);
    await expect(await byTestId("next-target")).toHaveText(expect.stringContaining(T.modify(2)));
    await expect($(turnSel(turnId, "head-note"))).toBeDisplayed();
    await expect($(turnSel(turnId, "video-player"))).toBeExisting();
  });

  it(`"continue from here" on v1, then "${BRANCH}" → v3, a remix of v1`, async () => {
    const cont = await $(turnSel(ids.v1, "continue-from-here"));
    await cont.scrollIntoView({ block: "center" });
    await cont.click();
    await browser.waitUntil(
      async () => (await (await byTestId("next-target")).getText()).includes(T.modify(1)),
      { timeout: 10_000, timeoutMsg: "the next-target line does not name v1" },
    );
    await expect($(turnSel(ids.v1, "head-note"))).toBeDisplayed();
    await expect($(turnSel(ids.v2, "head-note"))).not.toBeExisting();

    const turnId = await sendPrompt(BRANCH);
    ids.v3 = turnId;
    const s = await waitForTurnStatus(turnId, "succeeded", { timeout: 90_000 });
    expect(s.version).toBe("3");
    expect(s.remixOf).toBe(T.remixOf(1));
    await expect(await byTestId("next-target")).toHaveText(expect.stringContaining(T.modify(3)));
    await expect($(turnSel(turnId, "video-player"))).toBeExisting();
    expect(await turnIds()).toEqual([ids.v1, ids.v2, ids.v3]);

    // The store agrees: v2 and v3 both modify v1, and the head is v3.
    const stored = storedConversations().find((c) => c.id === ids.conversation);
    expect(stored).toBeTruthy();
    const byId = Object.fromEntries(stored.turns.map((t) => [t.id, t]));
    expect(byId[ids.v2].parent).toBe(ids.v1);
    expect(byId[ids.v3].parent).toBe(ids.v1);
    expect(stored.head).toBe(ids.v3);
    // Show the v3 card's header (its version and "remix of v1" badges) and the line above the composer.
    await $(turnSel(ids.v3)).scrollIntoView({ block: "start" });
    await saveScreenshot("versions");
  });

  it("after a restart the conversation, its versions and the local videos are still there", async () => {
    // Wait for every local copy first (a download could otherwise be cut by the restart).
    await browser.waitUntil(
      async () => {
        const c = storedConversations().find((x) => x.id === ids.conversation);
        return c?.turns.every((t) => t.media.video && t.media.state === "done") ?? false;
      },
      {
        timeout: 30_000,
        timeoutMsg: `the videos were not all saved: ${JSON.stringify(
          storedConversations().map((c) => c.turns.map((t) => t.media)),
        )}`,
      },
    );
    const stored = storedConversations().find((x) => x.id === ids.conversation);
    for (const t of stored.turns) {
      const file = path.join(appDataDir(), "media", t.media.video);
      expect(fs.statSync(file).size).toBeGreaterThan(1000);
    }

    await browser.reloadSession();
    await waitForAppReady();
    await assertUiLanguage();
    await expect(await byTestId("welcome")).not.toBeExisting();
    await (await byTestId("demo-badge")).waitForDisplayed({ timeout: 20_000 });

    const item = await $(`${tid("conversation-item")}[data-id="${ids.conversation}"]`);
    await item.waitForDisplayed({ timeout: 20_000 });
    await expect($$(tid("conversation-item"))).toBeElementsArrayOfSize(1);
    await item.$(".conv-main").click();
    await $(turnSel(ids.v3)).waitForExist({ timeout: 20_000 });
    expect(await turnIds()).toEqual([ids.v1, ids.v2, ids.v3]);
    const states = await Promise.all([ids.v1, ids.v2, ids.v3].map((id) => turnState(id)));
    expect(states.map((s) => [s.status, s.version, s.hasVideo])).toEqual([
      ["succeeded", "1", true],
      ["succeeded", "2", true],
      ["succeeded", "3", true],
    ]);
    expect(states[0].taskId).toBe(ids.task1);
    expect(states[1].remixOf).toBe(T.remixOf(1));
    expect(states[2].remixOf).toBe(T.remixOf(1));
    await expect(await byTestId("next-target")).toHaveText(expect.stringContaining(T.modify(3)));

    await $(turnSel(ids.v1, "video-player")).scrollIntoView({ block: "center" });
    await assertVideoPlaysLocally(ids.v1);
    await saveScreenshot("restarted");
  });
});
