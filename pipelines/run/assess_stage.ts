import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { CacheIndex } from "../cache/cache_index.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { readStageRecord } from "../cache/stage_record.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import type { EntryCheck } from "../cache/verify_entry.ts";
import { inputEntries } from "../graph/input_entries.ts";
import { explainChange } from "../graph/explain_change.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";
import { fingerprintObject, type PlannedStage, stageFingerprint } from "../graph/stage_graph.ts";

/** How many inputs that will run first are named in the reasons; the rest are counted. */
const MAX_PENDING_NAMED = 3;

/** Whether a stage's cache entry can be used, and if not, why it must run. */
export interface Assessment {
  fresh: boolean;
  /** The cache key, when every input's output digest is known. */
  fingerprint?: string;
  object?: FingerprintObject;
  /** The entry check, when the fingerprint is known. */
  check?: EntryCheck;
  /** Empty when fresh; otherwise short human reasons, most specific first. */
  reasons: string[];
}

/**
 * Decides fresh / must run for one stage given its inputs' output digests (undefined for an
 * input that has not run yet). Fresh means: every input digest known, the entry for the
 * resulting fingerprint verified, not forced, and the stage's code fully tracked. Otherwise the
 * reasons say why: forced, not fully tracked, an input that runs first, what changed since the
 * stage's last completed run (param, code, runtime, input content), or the entry's problem.
 */
export async function assessStage(
  layout: CacheLayout,
  stage: PlannedStage,
  inputDigests: Record<string, string | undefined>,
  forced: boolean,
  index?: CacheIndex,
): Promise<Assessment> {
  const pending: string[] = [];
  for (const [name] of inputEntries(stage)) {
    if (inputDigests[name] === undefined) pending.push(name);
  }
  // Built only when needed: a big plan has many stages whose inputs have not run yet.
  const partial = () => fingerprintObject(stage, inputDigests as Record<string, string>);
  let fingerprint: string | undefined;
  let check: EntryCheck | undefined;
  if (pending.length === 0) {
    fingerprint = stageFingerprint(stage, inputDigests as Record<string, string>);
    check = index?.mayHaveEntry(fingerprint) === false
      ? { ok: false, problem: "no-entry", detail: "no cache entry" }
      : await verifyEntry(layout, fingerprint);
    if (check.ok && !forced && stage.untracked.length === 0) {
      return { fresh: true, fingerprint, object: partial(), check, reasons: [] };
    }
  }
  const known = pending.length === 0 ? { fingerprint, object: partial(), check } : {};
  const reasons: string[] = [];
  if (forced) reasons.push("forced by --force");
  if (stage.untracked.length > 0) {
    const more = stage.untracked.length > 1 ? ` (+${stage.untracked.length - 1} more)` : "";
    reasons.push(`not fully tracked: ${stage.untracked[0]}${more}`);
  }
  const record = await firstRecord(layout, stage, index);
  if (record === undefined) {
    if (check === undefined || (!check.ok && check.problem === "no-entry")) {
      reasons.push("never run before");
    } else if (!check.ok) reasons.push(check.detail);
  } else if (fingerprint !== undefined && record.fingerprint === fingerprint) {
    if (check && !check.ok) reasons.push(check.detail);
  } else {
    const inputIds = Object.fromEntries(
      Object.entries(stage.inputs).map(([name, s]) => [name, s.id]),
    );
    const codeBase = dirname(fileURLToPath(stage.node.module));
    reasons.push(...explainChange(record.object, partial(), { inputIds, codeBase }));
    if (check && !check.ok && check.problem !== "no-entry") reasons.push(check.detail);
  }
  // A report over 100,000 runs waits for 200,000 inputs: name a few, count the rest.
  for (const name of pending.slice(0, MAX_PENDING_NAMED)) {
    reasons.push(runsFirst(stage.inputs[name]));
  }
  if (pending.length > MAX_PENDING_NAMED) {
    reasons.push(`${pending.length - MAX_PENDING_NAMED} more inputs will run first`);
  }
  if (reasons.length === 0) reasons.push(check && !check.ok ? check.detail : "fingerprint changed");
  // A copy of its own length: a list grown by push keeps room for more, and a big plan holds
  // one per stage.
  return { fresh: false, ...known, reasons: [...reasons] };
}

// One text per input stage: in a big sweep, 200,000 stages wait for the same data stage.
const runsFirstTexts = new WeakMap<PlannedStage, string>();
function runsFirst(input: PlannedStage): string {
  let text = runsFirstTexts.get(input);
  if (text === undefined) runsFirstTexts.set(input, text = `input ${input.id} will run first`);
  return text;
}

async function firstRecord(layout: CacheLayout, stage: PlannedStage, index?: CacheIndex) {
  for (const id of stage.recordIds) {
    if (index?.mayHaveRecord(id) === false) continue;
    const record = await readStageRecord(layout, id);
    if (record !== undefined) return record;
  }
  return undefined;
}
