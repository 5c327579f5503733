/**
 * Reading and writing an artifact's JSON file through its schema: the writer and every reader
 * of one file import the same schema module, so they cannot drift apart.
 * @module
 */
import { basename } from "node:path";
import type { z } from "zod";
import { writeFileAtomic } from "./write_file_atomic.ts";

/**
 * Validates `value` with `schema` and writes it as indented JSON, atomically.
 * @throws Error naming the file and the first field that does not fit (a writer bug).
 */
export async function writeJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  value: z.input<S>,
): Promise<void> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Cannot write ${basename(path)}: ${issue.path.join(".") || "(root)"} ${issue.message}`,
    );
  }
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Reads a JSON artifact and validates it with `schema`.
 * @param what who it belongs to, for messages (`run 'lenet'`)
 * @throws Error naming the file, `what` and the problem (missing, not JSON, every bad field).
 */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read ${path} of ${what} as it does not exist`);
    }
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Cannot read ${path} of ${what} as it is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      `${i.path.join(".") || "(root)"}: ${i.message}`
    );
    throw new Error(`Cannot read ${path} of ${what}: ${problems.join("; ")}`);
  }
  return parsed.data;
}
