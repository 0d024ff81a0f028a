// The live state of generation jobs, app-wide and keyed by turn id. Each job's Channel pushes its
// updates here, so switching conversation never loses them. Updates arrive up to ~60/s; they are
// coalesced and applied at most once per animation frame (with a one-frame timer fallback for
// windows whose frames are paused or slow).
import { useCallback, useSyncExternalStore } from "react";
import type { AppError, JobUpdate, RunningJob, TurnRecord } from "../api/types";

export interface LiveJob {
  conversationId: string;
  turn: TurnRecord;
  /** The backend sent its last update for this job. */
  done: boolean;
  saveError: AppError | null;
}

export type Scheduler = (flush: () => void) => () => void;

const FRAME_FALLBACK_MS = 16;

/**
 * Runs `flush` on the next animation frame, or after 16 ms (one frame at 60 Hz) if no frame comes first:
 * frames can be paused (a hidden window) or slow to wake (a software-rendered webview), and the progress bar
 * must not wait for them.
 */
export const frameScheduler: Scheduler = (flush) => {
  let fired = false;
  const run = () => {
    if (fired) return;
    fired = true;
    clearTimeout(timer);
    if (frame !== null && typeof cancelAnimationFrame === "function") cancelAnimationFrame(frame);
    flush();
  };
  const timer = setTimeout(run, FRAME_FALLBACK_MS);
  const frame = typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : null;
  return run;
};

const EMPTY: readonly LiveJob[] = Object.freeze([]);

/** True when `next` should replace `prev` as the record of the same turn. */
export function isNewer(prev: TurnRecord, next: TurnRecord): boolean {
  if (prev.status !== "running" && next.status === "running") return false; // a stale snapshot
  if (prev.status === "running" && next.status === "running") {
    return next.content.length >= prev.content.length; // the text only grows while streaming
  }
  return true;
}

type SettleListener = (job: LiveJob) => void;
type SaveErrorListener = (job: LiveJob, error: AppError) => void;

export class JobStore {
  private jobs = new Map<string, LiveJob>();
  private pending = new Map<string, LiveJob>();
  private byConversation = new Map<string, readonly LiveJob[]>();
  private running: readonly RunningJob[] = EMPTY as unknown as readonly RunningJob[];
  private listeners = new Set<() => void>();
  private settleListeners = new Set<SettleListener>();
  private saveErrorListeners = new Set<SaveErrorListener>();
  private cancelFlush: (() => void) | null = null;
  /** When each turn's latest channel update arrived (wall clock, ms): for the latency marks. */
  private received = new Map<string, number>();

  constructor(private readonly schedule: Scheduler = frameScheduler) {}

  /** An update from a job's channel: applied on the next frame. */
  push = (update: JobUpdate): void => {
    this.received.set(update.turn.id, Date.now());
    const job: LiveJob = {
      conversationId: update.conversation_id,
      turn: update.turn,
      done: update.done,
      saveError: update.save_error,
    };
    const queued = this.pending.get(update.turn.id);
    // Keep a `done` flag even when a later snapshot of the same frame replaces the record.
    if (queued?.done) job.done = true;
    this.pending.set(update.turn.id, job);
    this.cancelFlush ??= this.schedule(() => {
      this.cancelFlush = null;
      this.flush();
    });
  };

  /** A record from a command's answer (send_message, check_status): applied now. */
  put(conversationId: string, turn: TurnRecord): void {
    const prev = this.jobs.get(turn.id);
    const done = turn.status !== "running" || (prev?.done ?? false);
    this.apply([{ conversationId, turn, done, saveError: prev?.saveError ?? null }]);
  }

  /** Applies every queued channel update now. */
  flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.apply(batch);
  }

  private apply(batch: LiveJob[]): void {
    const settled: LiveJob[] = [];
    const saveErrors: LiveJob[] = [];
    const touched = new Set<string>();
    for (const job of batch) {
      const prev = this.jobs.get(job.turn.id);
      if (job.saveError && job.saveError.message !== prev?.saveError?.message) saveErrors.push(job);
      if (prev && !isNewer(prev.turn, job.turn)) {
        if (job.done && !prev.done) {
          const merged = { ...prev, done: true };
          this.jobs.set(job.turn.id, merged);
          touched.add(job.conversationId);
          settled.push(merged);
        }
        continue;
      }
      this.jobs.set(job.turn.id, job);
      touched.add(job.conversationId);
      const finishedNow = prev?.turn.status === "running" && job.turn.status !== "running";
      if (finishedNow || (job.done && !prev?.done)) settled.push(job);
    }
    for (const job of saveErrors) for (const l of this.saveErrorListeners) if (job.saveError) l(job, job.saveError);
    if (touched.size === 0) return;
    for (const id of touched) this.byConversation.delete(id);
    this.emit();
    for (const job of settled) for (const l of this.settleListeners) l(job);
  }

  /** Called when a job reports that saving to disk failed (once per distinct error). */
  onSaveError(listener: SaveErrorListener): () => void {
    this.saveErrorListeners.add(listener);
    return () => this.saveErrorListeners.delete(listener);
  }

  /** The list of running jobs from `running_jobs` / the `jobs-changed` event. */
  setRunning(running: RunningJob[]): void {
    this.running = running;
    this.emit();
  }

  /** When the latest channel update of a turn arrived (wall clock, ms). */
  receivedAt(turnId: string): number | undefined {
    return this.received.get(turnId);
  }

  get(turnId: string): LiveJob | undefined {
    return this.jobs.get(turnId);
  }

  forConversation(conversationId: string): readonly LiveJob[] {
    let list = this.byConversation.get(conversationId);
    if (!list) {
      list = [...this.jobs.values()].filter((j) => j.conversationId === conversationId);
      if (list.length === 0) list = EMPTY;
      this.byConversation.set(conversationId, list);
    }
    return list;
  }

  getRunning = (): readonly RunningJob[] => this.running;

  /** Forgets the jobs of a deleted conversation. */
  forgetConversation(conversationId: string): void {
    let changed = false;
    for (const [id, job] of this.jobs) {
      if (job.conversationId === conversationId) {
        this.jobs.delete(id);
        this.received.delete(id);
        changed = true;
      }
    }
    if (changed) {
      this.byConversation.delete(conversationId);
      this.emit();
    }
  }

  /** Forgets everything (tests). */
  reset(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.jobs.clear();
    this.pending.clear();
    this.received.clear();
    this.byConversation.clear();
    this.running = EMPTY as unknown as readonly RunningJob[];
    this.emit();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called once when a job's turn leaves `running`, and once when its last update arrives. */
  onSettle(listener: SettleListener): () => void {
    this.settleListeners.add(listener);
    return () => this.settleListeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

export const jobStore = new JobStore();

export function useLiveJob(turnId: string, store: JobStore = jobStore): LiveJob | undefined {
  const get = useCallback(() => store.get(turnId), [store, turnId]);
  return useSyncExternalStore(store.subscribe, get, get);
}

export function useLiveJobs(conversationId: string | null, store: JobStore = jobStore): readonly LiveJob[] {
  const get = useCallback(
    () => (conversationId ? store.forConversation(conversationId) : EMPTY),
    [store, conversationId],
  );
  return useSyncExternalStore(store.subscribe, get, get);
}

export function useRunningJobs(store: JobStore = jobStore): readonly RunningJob[] {
  return useSyncExternalStore(store.subscribe, store.getRunning, store.getRunning);
}

/** The stored turns with each replaced by its live record, plus live turns not stored yet. */
export function mergeTurns(stored: readonly TurnRecord[], live: readonly LiveJob[]): TurnRecord[] {
  if (live.length === 0) return [...stored];
  const byId = new Map(live.map((j) => [j.turn.id, j.turn]));
  const out = stored.map((t) => {
    const l = byId.get(t.id);
    byId.delete(t.id);
    return l && isNewer(t, l) ? l : t;
  });
  const extra = [...byId.values()].sort((a, b) => a.created_at - b.created_at);
  return [...out, ...extra];
}
