import { hashStageCode } from "../hashing/code_hash.ts";
import type { StageTask } from "./stage_task.ts";

/**
 * Hashes the code the task will load, here and now, and compares it with the code set (and the
 * package versions) it was planned with: a checkout edited (or checked out at another commit,
 * or with other packages installed) between planning and running would otherwise store new
 * code's outputs under the old code's key.
 * @returns undefined when they match, else what differs (`./train.ts changed; +2 more`).
 */
export async function verifyTaskCode(task: StageTask): Promise<string | undefined> {
  let files: Record<string, string>;
  let packages: Record<string, string>;
  let untracked: string[];
  try {
    const roots = [task.module, ...Object.values(task.uses)].map((url) => new URL(url));
    ({ files, packages, untracked } = await hashStageCode(roots));
  } catch (error) {
    return (error as Error).message;
  }
  const differences: string[] = [];
  for (const [file, hash] of Object.entries(task.code)) {
    if (files[file] === undefined) differences.push(`${file} is missing`);
    else if (files[file] !== hash) differences.push(`${file} changed`);
  }
  for (const file of Object.keys(files)) {
    if (task.code[file] === undefined) differences.push(`${file} is new`);
  }
  for (const name of Object.keys({ ...packages, ...task.packages })) {
    if (packages[name] !== task.packages[name]) {
      differences.push(
        `package ${name} is ${packages[name] ?? "gone"}, not ${task.packages[name] ?? "new"}`,
      );
    }
  }
  if (differences.length === 0 && untracked.join("\n") !== task.untracked.join("\n")) {
    differences.push("its untracked imports changed");
  }
  if (differences.length === 0) return undefined;
  const more = differences.length > 1 ? `; +${differences.length - 1} more` : "";
  return `${differences[0]}${more}`;
}
