import { afterEach, describe, expect, it, vi } from "vitest";
import { handlers, invoke, resetTauriMocks } from "../test/tauriMock";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/tauriMock")).coreModule);

const perfCalls = () => invoke.mock.calls.filter(([c]) => c === "perf_mark");

describe("perf marks", () => {
  afterEach(() => {
    resetTauriMocks();
    vi.resetModules();
  });

  it("stops calling the backend once it says marks are off", async () => {
    const { perfMark } = await import("./perf");
    handlers.perf_mark = () => false;
    perfMark("ready");
    await vi.waitFor(() => expect(perfCalls()).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 0)); // the answer arrives
    perfMark("history", { count: 3 });
    perfMark("progress", { task: "task_1", value: 5 });
    await new Promise((r) => setTimeout(r, 10));
    expect(perfCalls()).toHaveLength(1);
  });

  it("sends each mark with the wall clock while marks are on", async () => {
    const { perfMark } = await import("./perf");
    handlers.perf_mark = () => true;
    const before = Date.now();
    perfMark("ready");
    perfMark("progress", { task: "task_1", value: 5 });
    await vi.waitFor(() => expect(perfCalls()).toHaveLength(2));
    const [, args] = perfCalls()[1] as [string, { name: string; wallMs: number; detail: unknown }];
    expect(args.name).toBe("progress");
    expect(args.detail).toEqual({ task: "task_1", value: 5 });
    expect(args.wallMs).toBeGreaterThanOrEqual(before);
  });
});
