import { z } from "zod";

/**
 * Validates a stage's params with its schema (defaults applied).
 *
 * @throws Error naming the stage and every problem, e.g.
 *   `Cannot run the data stage as its params are invalid: ✖ Unrecognized key: "pth"`.
 */
export function parseStageParams<T extends z.ZodType>(
  stage: string,
  schema: T,
  params: unknown,
): z.output<T> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  throw new Error(
    `Cannot run the ${stage} stage as its params are invalid: ` +
      z.prettifyError(result.error).replaceAll("\n", " "),
  );
}
