/**
 * One pipeline invocation as the history store keeps it: when, from which configs and
 * overrides, at which git commit, every run with its params and every stage with its
 * fingerprint and outcome. Written by the CLI (`recordInvocation`), read by `runs`, `compare`,
 * `gc` and the time estimates.
 * @module
 */
import { z } from "zod";

const json = z.unknown();

/** One stage of an invocation: its key in the cache and what happened to it. */
export const historyStageSchema = z.object({
  /** The stage's ids (identical stages of several runs are one stage). */
  ids: z.array(z.string()).min(1),
  kind: z.string(),
  /** Runs it belongs to (empty for shared stages such as data and report). */
  runs: z.array(z.string()),
  /** Its cache key (`entries/<fingerprint>`); absent when it never got one (failed, skipped). */
  fingerprint: z.string().optional(),
  /** run | fresh | restored | failed | skipped; absent while the invocation is running. */
  outcome: z.string().optional(),
  /** Seconds it ran (0 when taken from the cache). */
  seconds: z.number().optional(),
});

/** One run of a config, as expanded. */
export const historyRunSchema = z.object({
  name: z.string(),
  experiment: z.string(),
  seed: z.number(),
  sweep: z.object({ name: z.string(), values: z.record(z.string(), json) }).optional(),
  overrides: z.record(z.string(), json).optional(),
  /** The run's validated params. */
  params: json,
});

/** One config of an invocation. */
export const historyConfigSchema = z.object({
  name: z.string(),
  path: z.string(),
  /** SHA-256 of the expanded runs and report options (`ResolvedConfig.hash`). */
  hash: z.string(),
  runs: z.array(historyRunSchema),
  stages: z.array(historyStageSchema),
});

/** How an invocation ended; `running` until it does (or forever, if it was killed). */
export const invocationOutcomes = ["running", "ok", "failed", "interrupted"] as const;

/** One invocation (a record of the store). */
export const invocationRecordSchema = z.object({
  /** Assigned by the store, increasing. */
  id: z.int().positive(),
  /** ISO time it started and finished. */
  started: z.string(),
  finished: z.string().optional(),
  seconds: z.number().optional(),
  outcome: z.enum(invocationOutcomes),
  exit_code: z.int().optional(),
  /** The command line after the program name. */
  args: z.array(z.string()),
  /** Command-line overrides, as typed. */
  overrides: z.array(z.string()),
  cwd: z.string(),
  host: z.string(),
  pid: z.int(),
  /** `git rev-parse HEAD` of the working folder and whether tracked files differed; null outside git. */
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  configs: z.array(historyConfigSchema),
});

/** A stored invocation. */
export type InvocationRecord = z.output<typeof invocationRecordSchema>;
/** One stage of a stored invocation. */
export type HistoryStage = z.output<typeof historyStageSchema>;
/** One config of a stored invocation. */
export type HistoryConfig = z.output<typeof historyConfigSchema>;
/** One run of a stored invocation. */
export type HistoryRun = z.output<typeof historyRunSchema>;
/** What a new record holds before the store numbers it. */
export type NewInvocation = Omit<InvocationRecord, "id">;
