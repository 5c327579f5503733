/**
 * A planned stage's inputs as a list, listed once per stage: a 100,000-run report has 300,000
 * named inputs, and every walk over an object that big (a dictionary to the JS engine) sorts
 * and copies its keys again.
 * @module
 */
import type { PlannedStage } from "./stage_graph.ts";

const lists = new WeakMap<object, readonly (readonly [string, PlannedStage])[]>();

/** Lists this long are kept; shorter ones cost less to list again than to keep. */
const KEPT = 64;

/** `Object.entries(stage.inputs)`, kept from the first call when the stage has many inputs. */
export function inputEntries(
  stage: Pick<PlannedStage, "inputs">,
): readonly (readonly [string, PlannedStage])[] {
  let list = lists.get(stage.inputs);
  if (list === undefined) {
    list = Object.entries(stage.inputs);
    if (list.length >= KEPT) lists.set(stage.inputs, list);
  }
  return list;
}

/** The inputs record of `list` (name → stage), with `list` remembered as its entries. */
export function inputsFromEntries(
  list: readonly (readonly [string, PlannedStage])[],
): Record<string, PlannedStage> {
  const inputs: Record<string, PlannedStage> = {};
  for (const [name, stage] of list) inputs[name] = stage;
  if (list.length >= KEPT) lists.set(inputs, list);
  return inputs;
}
