// Demo mode: stopping a generation that has gone silent, and an authentication error that leads
// to the settings. The demo relay picks a scenario from a [keyword] in the prompt.
import { expect } from "@wdio/globals";
import {
  assertNotDevBuild,
  assertUiLanguage,
  byTestId,
  saveScreenshot,
  sendPrompt,
  startDemoFromWelcome,
  texts,
  tid,
  turnSel,
  turnState,
  waitForAppReady,
  waitForTurnStatus,
} from "../helpers.mjs";

const TASK_ID = /^task_[0-9a-z]+$/;

describe("stop and errors (demo mode)", () => {
  const T = texts();

  before(async () => {
    await assertNotDevBuild();
    await waitForAppReady();
    await assertUiLanguage();
    await startDemoFromWelcome();
  });

  it("stop during a generation: the turn is interrupted, its task id kept, check status offered", async () => {
    // [stall]: the relay goes silent after the task id and holds the connection open.
    const turnId = await sendPrompt("一只猫 [stall]");
    let taskId = null;
    await browser.waitUntil(
      async () => {
        const s = await turnState(turnId);
        taskId = s?.taskId ?? null;
        // Queued comes after the task's links line, so "check status" has its raw data link.
        const queued = s?.steps.queued === "active" || s?.steps.queued === "done";
        return taskId !== null && s.status === "running" && queued;
      },
      { timeout: 30_000, interval: 100, timeoutMsg: "no task id and queued step were shown while the turn ran" },
    );
    expect(taskId).toMatch(TASK_ID);
    const stop = await byTestId("stop-button");
    await expect(stop).toBeDisplayed();
    await expect(await byTestId("send-button")).not.toBeExisting();
    await stop.click();

    const s = await waitForTurnStatus(turnId, "interrupted", { timeout: 20_000 });
    expect(s.taskId).toBe(taskId);
    expect(s.errorKind).toBe("cancelled");
    expect(s.errorText).toBe(T.cancelled);
    expect(s.hasCheckStatus).toBe(true);
    expect(s.hasRetry).toBe(true);
    expect(s.hasVideo).toBe(false);
    await expect($(turnSel(turnId, "check-status"))).toHaveText(T.checkStatus);
    // The composer can send again.
    await (await byTestId("send-button")).waitForExist({ timeout: 10_000 });
    await expect(await byTestId("stop-button")).not.toBeExisting();
    await browser.waitUntil(
      async () => (await (await byTestId("conversation-item")).getAttribute("data-running")) === "false",
      { timeout: 10_000, timeoutMsg: "the conversation still shows as running after stop" },
    );
    await saveScreenshot("stopped");
  });

  it("an invalid key (HTTP 401) shows an auth error whose button opens the settings", async () => {
    const turnId = await sendPrompt("测试 [401]");
    const s = await waitForTurnStatus(turnId, "failed", { timeout: 30_000 });
    expect(s.errorKind).toBe("auth");
    expect(s.errorText).toBe(T.authError);
    expect(s.hasVideo).toBe(false);
    const open = await $(turnSel(turnId, "open-settings"));
    await expect(open).toBeDisplayed();
    await saveScreenshot("error-auth");

    await open.click();
    const dialog = await byTestId("settings-dialog");
    await dialog.waitForDisplayed({ timeout: 10_000 });
    await expect(dialog.$(".modal-title")).toHaveText(T.settingsTitle);
    await expect(dialog.$(tid("settings-demo"))).toBeSelected();
    await saveScreenshot("settings");

    await (await byTestId("settings-close")).click();
    await dialog.waitForExist({ reverse: true, timeout: 10_000 });
    await expect(await byTestId("demo-badge")).toBeDisplayed();
  });
});
