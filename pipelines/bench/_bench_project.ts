import { z } from "zod";
import type { Project, StageNode } from "../types.ts";

const ECHO = new URL("./_echo_stage.ts", import.meta.url);

/** A project of fast echo stages with the real pipeline's shape: data → train → evaluate → report. */
export const benchProject: Project = {
  runSchema: z.strictObject({
    data: z.strictObject({ dataset: z.string().default("mnist") }).prefault({}),
    model: z.strictObject({ name: z.string(), dropout: z.number().default(0) }),
    train: z.strictObject({ lr: z.number().positive(), epochs: z.int().positive().default(1) }),
    seed: z.int().default(0),
  }),
  reportSchema: z.strictObject({ title: z.string().default("bench") }),
  runtimeFacts: () => Promise.resolve({ backend: "none", deno: Deno.version.deno }),
  plan(config) {
    const data: StageNode = {
      id: "data:mnist",
      kind: "data",
      module: ECHO,
      params: { dataset: "mnist" },
      inputs: {},
    };
    const inputs: Record<string, StageNode> = {};
    for (const run of config.runs) {
      const train: StageNode = {
        id: `train:${run.name}`,
        kind: "train",
        module: ECHO,
        params: run.params,
        inputs: { data },
        runtime: config.runtime,
        run: run.name,
      };
      const evaluate: StageNode = {
        id: `evaluate:${run.name}`,
        kind: "evaluate",
        module: ECHO,
        params: {},
        inputs: { train },
        runtime: config.runtime,
        run: run.name,
      };
      inputs[train.id] = train;
      inputs[evaluate.id] = evaluate;
    }
    return [{
      id: `report:${config.name}`,
      kind: "report",
      module: ECHO,
      params: { options: config.report },
      inputs,
    }];
  },
};

/** A config with 5 experiments × 5 learning rates × 2 seeds = 50 runs. */
export const BENCH_CONFIG = `name: bench50
defaults:
  model: { name: cnn }
  train: { lr: 0.01 }
experiments:
${
  ["e1", "e2", "e3", "e4", "e5"].map((e, i) => `  ${e}: { model: { dropout: ${i / 10} } }`).join(
    "\n",
  )
}
sweep:
  name: lr
  params: { train.lr: [0.001, 0.003, 0.01, 0.03, 0.1] }
seeds: 2
`;
