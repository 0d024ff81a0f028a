// "Connect my API" against an EXTERNAL mock relay process, then kill -9 the app while a reply
// streams: after a restart the turn is interrupted with its task id, and "check status" (which
// never re-sends the paid request) completes it once the relay's task has finished.
// The relay outlives the app; run.sh sets REELCHAT_TEST_ALLOW_LOOPBACK_MEDIA=1 so the app may
// download the video from it on 127.0.0.1.
import { expect } from "@wdio/globals";
import {
  appPid,
  assertNotDevBuild,
  assertUiLanguage,
  assertVideoPlaysLocally,
  byTestId,
  clearField,
  processAlive,
  saveScreenshot,
  sendPrompt,
  startMockRelay,
  storedConversations,
  texts,
  tid,
  turnSel,
  turnState,
  typeInto,
  waitForAppReady,
} from "../helpers.mjs";

const API_KEY = "sk-e2e";
const TASK_ID = /^task_[0-9a-z]+$/;

describe("kill -9 during a stream, restart, check status", function () {
  // Each step needs the one before it.
  this.bail(true);
  const T = texts();
  let relay = null;
  const ids = { conversation: null, turn: null, task: null };

  before(async () => {
    await assertNotDevBuild();
    relay = await startMockRelay({ apiKey: API_KEY, tickMs: 150 });
    await waitForAppReady();
    await assertUiLanguage();
  });

  after(async () => {
    await relay?.stop();
  });

  it("connects to the relay with a base URL and key from the welcome screen", async () => {
    await (await byTestId("welcome")).waitForDisplayed({ timeout: 30_000 });
    // Replace the default address, with real key events.
    const url = await byTestId("connect-base-url");
    await clearField(url);
    await typeInto(url, relay.url);
    await typeInto(await byTestId("connect-api-key"), API_KEY);

    await (await byTestId("connect-test")).click();
    const result = await byTestId("connect-result");
    await result.waitForDisplayed({ timeout: 20_000 });
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(result).toHaveText(T.connected);
    await expect(result).toHaveText(expect.stringContaining("sora-2"));
    await saveScreenshot("connect");

    await (await byTestId("connect-save")).click();
    await (await byTestId("composer-input")).waitForDisplayed({ timeout: 20_000 });
    await expect(await byTestId("demo-badge")).not.toBeExisting();
    await expect(await byTestId("welcome")).not.toBeExisting();
  });

  it("kill -9 of the app while the reply streams", async () => {
    // [stall]: the relay goes silent after the task id and keeps the connection open (the task
    // still completes on the relay), so the app is killed in the middle of the stream.
    const turnId = await sendPrompt("一只猫 [stall]");
    ids.turn = turnId;
    await browser.waitUntil(
      async () => {
        const s = await turnState(turnId);
        ids.task = s?.status === "running" ? s.taskId : null;
        return ids.task !== null;
      },
      { timeout: 30_000, interval: 50, timeoutMsg: "no task id was shown while the turn ran" },
    );
    expect(ids.task).toMatch(TASK_ID);
    ids.conversation = await (await byTestId("conversation-item")).getAttribute("data-id");

    // The job saves as it streams: the task id and its raw-data link (原始数据, what "check
    // status" asks; it arrives a few milliseconds after the id) are on disk before the crash.
    let saved = null;
    await browser.waitUntil(
      () => {
        saved = storedConversations()
          .find((c) => c.id === ids.conversation)
          ?.turns.find((x) => x.id === turnId);
        return saved?.reply?.task?.id === ids.task && Boolean(saved.reply.task.raw_data_url);
      },
      { timeout: 10_000, interval: 50, timeoutMsg: "the task id and its links were not saved while streaming" },
    ).catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(saved?.reply?.task)}`);
    });

    const pid = appPid();
    process.kill(pid, "SIGKILL");
    await browser.waitUntil(() => !processAlive(pid), {
      timeout: 10_000,
      interval: 100,
      timeoutMsg: `the app (pid ${pid}) did not die`,
    });
    // Killed mid-stream: the stored turn is still "running".
    const stored = storedConversations()
      .find((c) => c.id === ids.conversation)
      .turns.find((x) => x.id === turnId);
    expect(stored.status).toBe("running");
  });

  it("after a restart the turn shows the same task id, interrupted, with check status", async () => {
    await browser.reloadSession();
    await waitForAppReady();
    await assertUiLanguage();
    const item = await $(`${tid("conversation-item")}[data-id="${ids.conversation}"]`);
    await item.waitForDisplayed({ timeout: 20_000 });
    await expect(item).toHaveAttribute("data-running", "false");
    await item.$(".conv-main").click();
    await $(turnSel(ids.turn)).waitForExist({ timeout: 20_000 });
    const s = await turnState(ids.turn);
    expect(s.status).toBe("interrupted");
    expect(s.taskId).toBe(ids.task);
    expect(s.hasCheckStatus).toBe(true);
    expect(s.hasVideo).toBe(false);
    expect(s.errorKind).not.toBeNull();
    await saveScreenshot("interrupted-after-crash");
  });

  it("check status completes the turn once the relay's task has finished, and the video plays", async () => {
    const check = await $(turnSel(ids.turn, "check-status"));
    let checks = 0;
    let last = null;
    let failed = null;
    // Ask again (never re-sending the prompt) until the relay's task is done.
    await browser
      .waitUntil(
        async () => {
          last = await turnState(ids.turn);
          if (last.status !== "interrupted") return true;
          if (await check.isEnabled()) {
            await check.click();
            checks++;
            // Wait for this check to finish before looking again.
            await browser.waitUntil(
              async () =>
                (await turnState(ids.turn)).status !== "interrupted" ||
                ((await check.isExisting()) && (await check.isEnabled())),
              { timeout: 30_000, interval: 100, timeoutMsg: "check status did not finish" },
            );
          }
          // A check that fails shows an error toast: no point asking again.
          const toast = await $(`${tid("toast")}.toast-error`);
          if (await toast.isExisting()) {
            failed = await toast.getText();
            return true;
          }
          last = await turnState(ids.turn);
          return last.status !== "interrupted";
        },
        { timeout: 90_000, interval: 1000, timeoutMsg: "check status never completed the turn" },
      )
      .catch((e) => {
        throw new Error(`${e.message}; ${checks} checks, last state ${JSON.stringify(last)}`);
      });
    if (failed) throw new Error(`check status failed: ${failed}`);
    expect(checks).toBeGreaterThanOrEqual(1);
    const s = await turnState(ids.turn);
    expect(s.status).toBe("succeeded");
    expect(s.version).toBe("1");
    expect(s.taskId).toBe(ids.task);
    expect(s.errorKind).toBeNull();
    await assertVideoPlaysLocally(ids.turn, { timeout: 60_000 });
    await expect(await byTestId("next-target")).toHaveText(expect.stringContaining(T.modify(1)));
    await $(turnSel(ids.turn, "video-player")).scrollIntoView({ block: "center" });
    await saveScreenshot("recovered");
  });
});
