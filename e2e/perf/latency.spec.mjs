// Stream-to-screen latency (scripts/perf.d/40-latency): generations against two external mock
// relays, `[stamp]` at a realistic tick and `[flood]` at 1000 deltas a second. The relays note
// when they send each progress value (GET /__stamps); the app, started with REELCHAT_PERF_LOG,
// notes when the card shows it (ui/src/lib/perf.ts). This spec only drives the app and saves the
// relays' notes; the perf script joins the two.
import fs from "node:fs";
import { assertNotDevBuild, byTestId, invoke, sendPrompt, startMockRelay, waitForAppReady, waitForTurnStatus } from "../helpers.mjs";

const API_KEY = "sk-perf";
const RUNS = [
  { speed: "realistic", tickMs: Number(process.env.PERF_REALISTIC_TICK_MS ?? 250), modifier: "[stamp]", count: Number(process.env.PERF_REALISTIC_RUNS ?? 6) },
  { speed: "flood", tickMs: 1, modifier: "[flood]", count: Number(process.env.PERF_FLOOD_RUNS ?? 5) },
];

describe("stream-to-screen latency", function () {
  this.bail(true);
  this.timeout(20 * 60_000);
  const relays = [];

  after(async () => {
    for (const r of relays) await r.stop();
  });

  for (const run of RUNS) {
    it(`${run.speed}: ${run.count} generations`, async () => {
      await assertNotDevBuild();
      const relay = await startMockRelay({ apiKey: API_KEY, tickMs: run.tickMs });
      relays.push(relay);
      await waitForAppReady();
      await invoke("update_settings", { patch: { base_url: relay.url } });
      await invoke("set_api_key", { key: API_KEY });
      await browser.refresh();
      await (await byTestId("new-chat")).waitForDisplayed({ timeout: 30_000 });
      const tasks = [];
      for (let i = 0; i < run.count; i++) {
        await (await byTestId("new-chat")).click();
        await (await byTestId("empty-chat")).waitForDisplayed({ timeout: 10_000 });
        const turn = await sendPrompt(`${run.modifier} dancing cows ${i + 1}`);
        const state = await waitForTurnStatus(turn, "succeeded", { timeout: 300_000 });
        tasks.push(state.taskId);
      }
      const stamps = await (await fetch(`${relay.url}/__stamps`)).json();
      fs.writeFileSync(
        `${process.env.PERF_SPEC_OUT}.${run.speed}.json`,
        JSON.stringify({ speed: run.speed, tick_ms: run.tickMs, tasks, stamps }),
      );
    });
  }
});
