// Memory with a large history (scripts/perf.d/30-memory): 200 conversations holding 500 versions
// (written by crates/reelchat-studio/examples/seed_history.rs, each version with a local video),
// loaded, then every conversation opened in turn. Emits the tree's Pss after each stage.
import { execFileSync } from "node:child_process";
import { appDataDir, assertNotDevBuild, startDemoFromWelcome } from "../helpers.mjs";
import { clickConversationAt, listedCount, recordMemory, sleep } from "./perf-helpers.mjs";

const CONVERSATIONS = Number(process.env.PERF_CONVERSATIONS ?? 200);
const VERSIONS = Number(process.env.PERF_VERSIONS ?? 500);
const SETTLE_MS = Number(process.env.PERF_SETTLE_MS ?? 10_000);

const firstTurn = () =>
  browser.execute(() => document.querySelector('[data-testid="turn"]')?.getAttribute("data-turn-id") ?? null);

describe("memory with 200 conversations and 500 versions", function () {
  this.bail(true);
  // Opening 200 conversations one by one takes minutes on a loaded 2-core machine.
  this.timeout(30 * 60_000);

  it("loads the large history", async () => {
    await assertNotDevBuild();
    // Onboard (demo), so the restarted app opens on the chat screen with the sidebar.
    await startDemoFromWelcome();
    execFileSync(process.env.PERF_SEED_BIN, [appDataDir(), String(CONVERSATIONS), String(VERSIONS)]);
    await browser.reloadSession();
    await browser.waitUntil(async () => (await listedCount()) === CONVERSATIONS, {
      timeout: 60_000,
      interval: 200,
      timeoutMsg: `the sidebar did not list ${CONVERSATIONS} conversations`,
    });
    await sleep(SETTLE_MS);
    recordMemory("history-loaded", { conversations: CONVERSATIONS, versions: VERSIONS });
  });

  it("opens every conversation", async () => {
    const started = Date.now();
    for (let i = 0; i < CONVERSATIONS; i++) {
      const before = await firstTurn();
      await clickConversationAt(i);
      await browser.waitUntil(async () => {
        const now = await firstTurn();
        return now !== null && now !== before;
      }, { timeout: 15_000, interval: 20, timeoutMsg: `conversation ${i} did not open` });
      if ((i + 1) % 25 === 0) console.log(`[perf] opened ${i + 1} conversations in ${Date.now() - started} ms`);
    }
    const browseMs = Date.now() - started;
    await sleep(SETTLE_MS);
    recordMemory("history-browsed", { conversations: CONVERSATIONS, versions: VERSIONS, browse_ms: browseMs });
  });
});
