import { indexCache } from "../cache/cache_index.ts";
import type { CacheLayout } from "../cache/cache_layout.ts";
import { publishedMatches } from "../cache/publish_outputs.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import { inputEntries } from "../graph/input_entries.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { assessStage } from "../run/assess_stage.ts";
import type { PlannedOutcome } from "./plan_table.ts";

/** How many stages are assessed at once (their cache entries are read concurrently). */
const CONCURRENCY = 64;

/**
 * Groups stages by depth (a stage is one deeper than its deepest input in `stages`; inputs not
 * in `stages` do not count), so each group can be assessed once the previous ones are.
 * @throws {Error} when the inputs form a cycle.
 */
function levelsOf(stages: readonly PlannedStage[]): PlannedStage[][] {
  const inPlan = new Set(stages);
  const depth = new Map<PlannedStage, number>();
  const visiting = new Set<PlannedStage>();
  const depthOf = (stage: PlannedStage): number => {
    const known = depth.get(stage);
    if (known !== undefined) return known;
    if (visiting.has(stage)) throw new Error("Cannot explain stages whose inputs form a cycle");
    visiting.add(stage);
    let d = 0;
    for (const [, input] of inputEntries(stage)) {
      if (inPlan.has(input)) d = Math.max(d, depthOf(input) + 1);
    }
    visiting.delete(stage);
    depth.set(stage, d);
    return d;
  };
  const levels: PlannedStage[][] = [];
  for (const stage of stages) {
    // Planned stages come inputs first, so a stage's depth is usually known from its inputs'
    // without the recursive walk.
    let d: number | undefined = 0;
    for (const [, input] of inputEntries(stage)) {
      if (!inPlan.has(input)) continue;
      const known = depth.get(input);
      if (known === undefined) {
        d = undefined;
        break;
      }
      if (known + 1 > d) d = known + 1;
    }
    if (d === undefined) d = depthOf(stage);
    else depth.set(stage, d);
    (levels[d] ??= []).push(stage);
  }
  return levels.filter((level) => level !== undefined);
}

/**
 * What `run` would do to each stage, without doing it (for `status` and `--dry-run`): fresh,
 * will restore (cached, publish folder missing or different) or will run, with the reasons. A
 * stage after one that will run cannot be decided yet (its key holds that input's output
 * digest); it is listed as will run, and the input's line says its dependents are decided after it.
 */
export async function explainStages(
  stages: readonly PlannedStage[],
  layout: CacheLayout,
  forced?: (stage: PlannedStage) => boolean,
  options: { publishRoot?: string } = {},
): Promise<PlannedOutcome[]> {
  const root = options.publishRoot ?? ".";
  const index = indexCache(layout);
  const digests = new Map<PlannedStage, string | undefined>();
  const outcomes = new Map<PlannedStage, PlannedOutcome>();
  const assess = async (stage: PlannedStage) => {
    const inputDigests: Record<string, string | undefined> = {};
    for (const [name, input] of inputEntries(stage)) inputDigests[name] = digests.get(input);
    const assessment = await assessStage(
      layout,
      stage,
      inputDigests,
      forced?.(stage) ?? false,
      index,
    );
    const restore: string[] = [];
    if (assessment.fresh && assessment.check?.ok) {
      digests.set(stage, outputDigest(assessment.check.manifest.files));
      for (const target of stage.publish) {
        if (!await publishedMatches(target, assessment.check.manifest.files, { root })) {
          restore.push(target);
        }
      }
    }
    // Kept only when non-empty: a big plan holds one outcome per stage.
    outcomes.set(
      stage,
      restore.length > 0 ? { stage, assessment, restore } : { stage, assessment },
    );
  };
  for (const level of levelsOf(stages)) {
    for (let i = 0; i < level.length; i += CONCURRENCY) {
      await Promise.all(level.slice(i, i + CONCURRENCY).map(assess));
    }
  }
  const hasDependents = new Set<PlannedStage>();
  for (const stage of stages) {
    for (const [, input] of inputEntries(stage)) hasDependents.add(input);
  }
  return stages.map((stage) => {
    const outcome = outcomes.get(stage)!;
    outcome.decidesDependents = !outcome.assessment.fresh && hasDependents.has(stage);
    return outcome;
  });
}
