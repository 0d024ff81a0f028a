// A conversation of 1000 messages (500 versions) (scripts/perf.d/50-large): how long it takes to open
// (click in the sidebar → its turns painted, the `conversation` perf mark), how many rows and videos
// the virtualized list keeps in the DOM, and the time between frames while it scrolls continuously.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { appDataDir, assertNotDevBuild, byTestId, startDemoFromWelcome } from "../helpers.mjs";
import { emit, listedCount, sleep } from "./perf-helpers.mjs";

const VERSIONS = Number(process.env.PERF_LARGE_VERSIONS ?? 500);
const ROUNDS = Number(process.env.PERF_LARGE_ROUNDS ?? 10);
const SCROLL_FRAMES = Number(process.env.PERF_LARGE_SCROLL_FRAMES ?? 600);

/** The perf log's `conversation` marks (the app writes them when started with REELCHAT_PERF_LOG). */
function conversationMarks() {
  const log = process.env.REELCHAT_PERF_LOG;
  if (!log || !fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l.includes('"mark":"conversation"'))
    .map((l) => JSON.parse(l));
}

const domCounts = () =>
  browser.execute(() => ({
    rows: document.querySelectorAll('[data-testid="turn"]').length,
    videos: document.querySelectorAll("video").length,
    nodes: document.getElementsByTagName("*").length,
  }));

describe(`a conversation of ${VERSIONS * 2} messages`, function () {
  this.bail(true);
  this.timeout(20 * 60_000);

  it("opens", async () => {
    await assertNotDevBuild();
    await startDemoFromWelcome();
    execFileSync(process.env.PERF_SEED_BIN, [appDataDir(), "1", String(VERSIONS)]);
    await browser.reloadSession();
    await browser.waitUntil(async () => (await listedCount()) === 1, {
      timeout: 60_000,
      interval: 100,
      timeoutMsg: "the sidebar did not list the large conversation",
    });
    const largeId = await browser.execute(
      () => document.querySelector('.conv-slot[data-index="0"] [data-testid="conversation-item"]').dataset.id,
    );
    // The first seconds after start-up are not representative (WebKit is still settling; frames are slow).
    await sleep(5000);
    const openMs = [];
    let counts = null;
    for (let r = 0; r < ROUNDS; r++) {
      // From an empty chat, so each round is a real opening.
      await (await byTestId("new-chat")).click();
      await (await byTestId("empty-chat")).waitForDisplayed({ timeout: 10_000 });
      await sleep(500);
      const seen = conversationMarks().length;
      const clickedAt = await browser.execute((id) => {
        const t = Date.now();
        document.querySelector(`[data-testid="conversation-item"][data-id="${id}"] .conv-main`).click();
        return t;
      }, largeId);
      // The mark of this opening: the large conversation's, after the click.
      const opened = () => conversationMarks().slice(seen).find((m) => m.detail?.id === largeId);
      await browser.waitUntil(() => opened() !== undefined, {
        timeout: 30_000,
        interval: 10,
        timeoutMsg: "no `conversation` mark (is REELCHAT_PERF_LOG set and the app built from this tree?)",
      });
      const mark = opened();
      if (mark.detail?.turns !== VERSIONS) throw new Error(`opened ${mark.detail?.turns} turns, expected ${VERSIONS}`);
      openMs.push(mark.wall_ms - clickedAt);
      counts = await domCounts();
    }
    emit({ case: "large-open", messages: VERSIONS * 2, versions: VERSIONS, open_ms: openMs, ...counts });
  });

  it("scrolls from the newest message towards the oldest", async () => {
    // A continuous scroll as a wheel or a dragged scrollbar gives it: 40 px every frame (2400 px,
    // about five turns, a second at 60 Hz) for SCROLL_FRAMES frames, noting the time between
    // frames. Rows entering the view are rendered and measured on the way: that is the cost.
    await browser.setTimeout({ script: 300_000 });
    const frames = await browser.executeAsync((count, done) => {
      const list = document.querySelector('[data-testid="message-list"]');
      const gaps = [];
      let last = null;
      let n = 0;
      const step = (t) => {
        if (last !== null) gaps.push(t - last);
        last = t;
        list.scrollTop = Math.max(0, list.scrollTop - 40);
        if (++n < count && list.scrollTop > 0) requestAnimationFrame(step);
        else done(gaps);
      };
      requestAnimationFrame(step);
    }, SCROLL_FRAMES);
    const counts = await domCounts();
    emit({ case: "large-scroll", frame_gaps_ms: frames, ...counts });
  });
});
