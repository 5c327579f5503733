import type { StageContext } from "../types.ts";

/** A fast stand-in stage: writes its params and the names of its inputs. */
export async function run(ctx: StageContext): Promise<void> {
  await Deno.writeTextFile(`${ctx.outDir}/params.json`, JSON.stringify(ctx.params));
  await Deno.writeTextFile(`${ctx.outDir}/inputs.json`, JSON.stringify(Object.keys(ctx.inputs)));
}
