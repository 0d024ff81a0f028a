// First paint of the empty page, measured the same way as ReelChat's "ready" mark
// (ui/src/lib/perf.ts): the wall clock in the first task after the next frame has been drawn
// (rAF → setTimeout), handed to the backend, which appends it to $REELCHAT_PERF_LOG.
requestAnimationFrame(() =>
  setTimeout(() => {
    window.__TAURI_INTERNALS__.invoke("perf_mark", { name: "ready", wallMs: Date.now(), detail: null });
  }, 0),
);
