// A conversation of 1000 messages (500 versions) (scripts/perf.d/50-large): how long it takes to open
// (click in the sidebar → its turns painted, the `conversation` perf mark), how many rows and videos
// the virtualized list keeps in the DOM, and how long each scroll step takes to show its rows.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { appDataDir, assertNotDevBuild, byTestId, startDemoFromWelcome } from "../helpers.mjs";
import { emit, listedCount, sleep } from "./perf-helpers.mjs";

const VERSIONS = Number(process.env.PERF_LARGE_VERSIONS ?? 500);
const ROUNDS = Number(process.env.PERF_LARGE_ROUNDS ?? 10);
const SCROLL_STEPS = Number(process.env.PERF_LARGE_SCROLL_STEPS ?? 40);

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

  it("scrolls from the newest message to the oldest", async () => {
    // The list opens at the bottom (the newest version); each step scrolls up one screen and waits
    // until the rows for the new position are in the DOM.
    const steps = [];
    for (let i = 0; i < SCROLL_STEPS; i++) {
      const ms = await browser.executeAsync((done) => {
        const list = document.querySelector('[data-testid="message-list"]');
        const before = new Set([...document.querySelectorAll('[data-testid="turn"]')].map((e) => e.dataset.turnId));
        const t0 = performance.now();
        list.scrollTop = Math.max(0, list.scrollTop - list.clientHeight);
        const check = () => {
          const now = [...document.querySelectorAll('[data-testid="turn"]')].map((e) => e.dataset.turnId);
          if (list.scrollTop === 0 || now.some((id) => !before.has(id))) done(performance.now() - t0);
          else if (performance.now() - t0 > 5000) done(null);
          else setTimeout(check, 0);
        };
        setTimeout(check, 0);
      });
      if (ms !== null) steps.push(ms);
    }
    const counts = await domCounts();
    emit({ case: "large-scroll", steps_ms: steps, ...counts });
  });
});
