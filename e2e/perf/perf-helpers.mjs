// Shared by the perf specs (run by scripts/perf.d through e2e/run.sh, never by the e2e suite):
// the app's memory (Pss of its process tree, perf/pss.py) and result lines for the perf scripts.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appPid } from "../helpers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const PSS_PY = path.resolve(here, "..", "..", "perf", "pss.py");

/** Pss of the app and every process under it (WebKit's web and network processes), in kB. */
export function treePss() {
  return JSON.parse(execFileSync("python3", [PSS_PY, String(appPid())], { encoding: "utf8" }));
}

/** Appends one JSON line to $PERF_SPEC_OUT (the perf script reads it). */
export function emit(row) {
  const out = process.env.PERF_SPEC_OUT;
  if (!out) throw new Error("PERF_SPEC_OUT is not set (run through scripts/perf.d)");
  fs.appendFileSync(out, `${JSON.stringify(row)}\n`);
}

/** Measures the tree's memory now and emits it as CASE. */
export function recordMemory(name, extra = {}) {
  const m = treePss();
  emit({ case: name, total_kb: m.total_kb, processes: m.processes, at_ms: Date.now(), ...extra });
  return m.total_kb;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** How many conversations the sidebar holds (its list is virtualized: fewer rows are in the DOM). */
export const listedCount = () =>
  browser.execute(() => Number(document.querySelector('[data-testid="conversation-list"]')?.getAttribute("data-count") ?? 0));

/**
 * Opens the sidebar's conversation at INDEX: scrolls the virtualized list until its row is rendered (as a
 * user scrolling would), then clicks it.
 */
export async function clickConversationAt(index) {
  await browser.waitUntil(
    () =>
      browser.execute((i) => {
        const list = document.querySelector('[data-testid="conversation-list"]');
        const slot = list.querySelector(`.conv-slot[data-index="${i}"]`);
        if (slot) {
          slot.scrollIntoView({ block: "nearest" });
          slot.querySelector(".conv-main").click();
          return true;
        }
        const shown = [...list.querySelectorAll(".conv-slot")].map((s) => Number(s.dataset.index));
        const step = list.clientHeight / 2;
        list.scrollTop += shown.length && Math.max(...shown) < i ? step : -step;
        return false;
      }, index),
    { timeout: 15_000, interval: 30, timeoutMsg: `conversation ${index} could not be scrolled to` },
  );
}
