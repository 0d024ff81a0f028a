import { describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import type { JobUpdate, TurnRecord } from "../api/types";
import { makeTurn, runningTurn, succeededTurn } from "../test/fixtures";
import { JobStore, mergeTurns, useLiveJob, useLiveJobs, type Scheduler } from "./jobs";

/** A scheduler the test flushes by hand (one "animation frame"). */
function manualScheduler() {
  const queue: (() => void)[] = [];
  const schedule: Scheduler = (flush) => {
    queue.push(flush);
    return () => undefined;
  };
  return { schedule, frame: () => queue.splice(0).forEach((f) => f()), pending: () => queue.length };
}

const update = (turn: TurnRecord, over: Partial<JobUpdate> = {}): JobUpdate => ({
  conversation_id: "c_1",
  turn,
  done: false,
  save_error: null,
  ...over,
});

describe("JobStore", () => {
  it("coalesces channel updates into one render per frame, keeping the latest", () => {
    const s = manualScheduler();
    const store = new JobStore(s.schedule);
    const listener = vi.fn();
    store.subscribe(listener);
    for (let p = 1; p <= 30; p++) store.push(update(runningTurn(p, { content: "x".repeat(p) })));
    expect(s.pending()).toBe(1);
    expect(store.get("t_1")).toBeUndefined();
    s.frame();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.get("t_1")?.turn.reply.progress).toBe(30);
  });

  it("keeps jobs of several conversations apart", () => {
    const s = manualScheduler();
    const store = new JobStore(s.schedule);
    store.push(update(runningTurn(10)));
    store.push(update(runningTurn(20, { id: "t_2" }), { conversation_id: "c_2" }));
    s.frame();
    expect(store.forConversation("c_1").map((j) => j.turn.id)).toEqual(["t_1"]);
    expect(store.forConversation("c_2").map((j) => j.turn.id)).toEqual(["t_2"]);
    // The snapshot is stable until that conversation changes.
    const before = store.forConversation("c_2");
    store.push(update(runningTurn(11, { content: "more text" })));
    s.frame();
    expect(store.forConversation("c_2")).toBe(before);
  });

  it("never lets a stale running record replace a finished one", () => {
    const store = new JobStore(manualScheduler().schedule);
    store.put("c_1", succeededTurn());
    store.put("c_1", makeTurn()); // e.g. send_message's answer arriving late
    expect(store.get("t_1")?.turn.status).toBe("succeeded");
  });

  it("tells settle listeners when a job finishes and when its last update arrives", () => {
    const s = manualScheduler();
    const store = new JobStore(s.schedule);
    const settled = vi.fn();
    store.onSettle(settled);
    store.push(update(runningTurn(50)));
    s.frame();
    expect(settled).not.toHaveBeenCalled();
    store.push(update(succeededTurn({ media: { video: null, preview: null, state: "downloading", error: null } })));
    s.frame();
    expect(settled).toHaveBeenCalledTimes(1);
    store.push(update(succeededTurn(), { done: true }));
    s.frame();
    expect(settled).toHaveBeenCalledTimes(2);
    expect(store.get("t_1")?.turn.media.state).toBe("done");
    expect(store.get("t_1")?.done).toBe(true);
  });

  it("reports a save error once", () => {
    const s = manualScheduler();
    const store = new JobStore(s.schedule);
    const onError = vi.fn();
    store.onSaveError(onError);
    const err = { kind: "disk_full" as const, message: "No space left", retry_after_secs: null };
    store.push(update(runningTurn(1, { content: "a" }), { save_error: err }));
    s.frame();
    store.push(update(runningTurn(2, { content: "ab" }), { save_error: err }));
    s.frame();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it("feeds React through useSyncExternalStore", () => {
    const s = manualScheduler();
    const store = new JobStore(s.schedule);
    const { result } = renderHook(() => ({ one: useLiveJob("t_1", store), all: useLiveJobs("c_1", store) }));
    expect(result.current.one).toBeUndefined();
    act(() => {
      store.push(update(runningTurn(42)));
      s.frame();
    });
    expect(result.current.one?.turn.reply.progress).toBe(42);
    expect(result.current.all).toHaveLength(1);
  });
});

describe("mergeTurns", () => {
  it("prefers the live record and appends live turns not stored yet", () => {
    const stored = [succeededTurn({ id: "t_0" }), makeTurn({ id: "t_1", created_at: 5 })];
    const live = [
      { conversationId: "c_1", turn: runningTurn(70, { id: "t_1" }), done: false, saveError: null },
      { conversationId: "c_1", turn: makeTurn({ id: "t_2", created_at: 9 }), done: false, saveError: null },
    ];
    const merged = mergeTurns(stored, live);
    expect(merged.map((t) => t.id)).toEqual(["t_0", "t_1", "t_2"]);
    expect(merged[1]?.reply.progress).toBe(70);
  });

  it("keeps a freshly loaded finished record over a stale live one", () => {
    const merged = mergeTurns([succeededTurn()], [{ conversationId: "c_1", turn: runningTurn(90), done: false, saveError: null }]);
    expect(merged[0]?.status).toBe("succeeded");
  });
});
