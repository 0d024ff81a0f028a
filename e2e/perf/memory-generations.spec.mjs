// Memory over continuous generations in the demo relay (scripts/perf.d/30-memory): one after the
// other for PERF_MINUTES (a new conversation every 10 versions), the tree's Pss sampled every
// PERF_SAMPLE_S seconds. The perf script fits the slope.
import { assertNotDevBuild, byTestId, sendPrompt, startDemoFromWelcome, waitForTurnStatus } from "../helpers.mjs";
import { recordMemory } from "./perf-helpers.mjs";

const MINUTES = Number(process.env.PERF_MINUTES ?? 3);
const SAMPLE_S = Number(process.env.PERF_SAMPLE_S ?? 15);
const PER_CONVERSATION = 10;

describe(`memory over ${MINUTES} minutes of generations`, function () {
  this.bail(true);
  this.timeout((MINUTES + 5) * 60_000);

  it("generates without growing", async () => {
    await assertNotDevBuild();
    await startDemoFromWelcome();
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    let nextSample = started;
    let generations = 0;
    recordMemory("generations", { minute: 0, generations });
    while (Date.now() < end) {
      if (generations % PER_CONVERSATION === 0) {
        await (await byTestId("new-chat")).click();
        await (await byTestId("empty-chat")).waitForDisplayed({ timeout: 10_000 });
      }
      const turn = await sendPrompt(`dancing cows ${generations + 1}`);
      await waitForTurnStatus(turn, "succeeded", { timeout: 120_000 });
      generations += 1;
      if (Date.now() >= nextSample) {
        recordMemory("generations", { minute: (Date.now() - started) / 60_000, generations });
        nextSample = Date.now() + SAMPLE_S * 1000;
      }
    }
    recordMemory("generations", { minute: (Date.now() - started) / 60_000, generations, last: true });
  });
});
