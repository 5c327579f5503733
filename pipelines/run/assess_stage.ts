import type { CacheLayout } from "../cache/cache_layout.ts";
import { explainChange } from "../graph/explain_change.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { readStageRecord } from "../cache/stage_record.ts";
import { verifyEntry } from "../cache/verify_entry.ts";
import type { EntryCheck } from "../cache/verify_entry.ts";

/** Whether a stage's cache entry can be used, and if not, why it must run. */
export interface Assessment {
  fresh: boolean;
  check: EntryCheck;
  /** Empty when fresh; otherwise human reasons, most specific first. */
  reasons: string[];
}

/**
 * Decides fresh / must run for one stage: a verified entry is fresh unless forced. Otherwise the
 * reasons compare with the stage id's last completed fingerprint (param, input, code, runtime),
 * or name the problem with the entry.
 */
export async function assessStage(
  layout: CacheLayout,
  stage: PlannedStage,
  forced: boolean,
): Promise<Assessment> {
  const check = await verifyEntry(layout, stage.fingerprint);
  if (check.ok && !forced) return { fresh: true, check, reasons: [] };
  const reasons: string[] = [];
  if (forced) reasons.push("forced by --force");
  if (!check.ok) {
    const record = await readStageRecord(layout, stage.id);
    if (record === undefined) {
      reasons.push(check.problem === "no-entry" ? "never run before" : check.detail);
    } else if (record.fingerprint === stage.fingerprint) {
      reasons.push(check.detail);
    } else {
      const inputIds = Object.fromEntries(
        Object.entries(stage.inputs).map(([name, s]) => [name, s.id]),
      );
      const changes = explainChange(record.object, stage.object, { inputIds });
      reasons.push(...(changes.length ? changes : ["fingerprint changed"]));
      if (check.problem !== "no-entry") reasons.push(check.detail);
    }
  }
  return { fresh: false, check, reasons };
}
