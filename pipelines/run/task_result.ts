import type { Manifest } from "../cache/manifest.ts";

/**
 * How bringing one stage up to date ended, wherever it ran (JSON, so a child process or a
 * cluster job can hand it back): `run` or `fresh` (a valid entry existed after all: another
 * process or job made it, or the inputs' content came out unchanged), `failed`, or `skipped`
 * (stopped before it started).
 */
export type TaskResult =
  | {
    outcome: "run" | "fresh";
    fingerprint: string;
    /** Digest of the entry's outputs: what dependents are keyed on. */
    digest: string;
    seconds: number;
    /** The entry's manifest, when the process that made it is this one (saves a re-check). */
    manifest?: Manifest;
  }
  | {
    outcome: "failed" | "skipped";
    seconds: number;
    /** The cause, without the stage's name (`the stage process exited with code 1: …`). */
    error: string;
  };
