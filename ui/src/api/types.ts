// Types shared with the Rust backend: generated from the Rust structs by ts-rs into ../bindings/
// (do not edit those). A few app-side helpers are declared here.
export type * from "../bindings";

/** Milliseconds since the Unix epoch. */
export type Millis = number;

export interface AppInfo {
  version: string;
}

/** (conversation id, turn id) of a running job. */
export type RunningJob = [string, string];
