import { writeJsonAtomic } from "../run/slurm/slurm_job.ts";
import { useSlurmAllocation } from "../run/share_cores.ts";
import type { FactsAnswer, FactsRequest } from "../run/slurm/runtime_facts_probe.ts";
import type { ExpandedRun, Json, Project } from "../types.ts";

/**
 * The node's side of a runtime-facts probe (`<entry> __runtime-facts <request.json>`): computes
 * the project's runtime facts for each config's runs here and writes the answer, or the
 * project's refusal, where the request says.
 * @returns the exit code: 0 answered, 1 refused, 2 unreadable request.
 */
export async function answerRuntimeFacts<R, F extends Json>(
  project: Project<R, F>,
  requestFile: string,
): Promise<number> {
  let request: FactsRequest;
  try {
    request = JSON.parse(await Deno.readTextFile(requestFile));
  } catch (error) {
    console.error(
      `Cannot read the runtime-facts request ${requestFile}: ${(error as Error).message}`,
    );
    return 2;
  }
  const node = Deno.hostname();
  // As every stage job does (slurm_stage.ts): the facts must describe the threads they will use.
  const threads = useSlurmAllocation();
  if (threads !== undefined) console.log(threads);
  let answer: FactsAnswer;
  try {
    const facts: Json[] = [];
    for (const config of request.configs) {
      facts.push(await project.runtimeFacts(config.runs as ExpandedRun<R>[]));
    }
    answer = { facts, node };
    console.log(`runtime facts on ${node}: ${JSON.stringify(facts)}`);
  } catch (error) {
    answer = { error: (error as Error).message, node };
    console.log(`the project refused on ${node}: ${answer.error}`);
  }
  await writeJsonAtomic(request.answer, answer);
  return "error" in answer ? 1 : 0;
}
