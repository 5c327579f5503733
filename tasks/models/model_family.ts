/**
 * The contract of a model family: each family file registers, in itself, its options schema, its
 * builder and the input shape it wants, as `export const MODEL_FAMILIES = defineFamilies(…)`.
 * `model_families.ts` collects them into the one table; a stage that builds one model imports
 * only that family's file (handed over by the engine), so editing `densenet.ts` never touches
 * the key of a LeNet run.
 * @module
 */
import type { z } from "zod";
import type { Builder, InputShapeRule } from "./_family.ts";

/** One model name: its strict options schema (defaults applied), builder and input rule. */
export interface ModelFamily<O extends { name: string } = { name: string }> {
  /** The model name (`config: model.name`). */
  name: O["name"];
  /** Options of this model; its `name` is a literal. */
  schema: z.ZodType<O>;
  build: Builder<O>;
  /** The `[h, w, c]` the model wants for data of a shape; absent: the data's own shape. */
  inputShape?: InputShapeRule<O>;
  /** URL of the file that defines it: the code a stage building this model runs. */
  module: string;
}

/** A schema whose output carries a literal `name`, as `modelSchema()` makes. */
type NamedSchema = z.ZodType<{ name: string }> & { shape: { name: { value: string } } };

/** What a family file lists per model name. */
export interface FamilyEntry<S extends NamedSchema> {
  schema: S;
  build: Builder<z.output<S>>;
  inputShape?: InputShapeRule<z.output<S>>;
}

/** Declares one model of a family (keeps the schema's precise type for the builder). */
export function defineFamily<S extends NamedSchema>(entry: FamilyEntry<S>): FamilyEntry<S> {
  return entry;
}

/**
 * The families a file defines, stamped with that file's URL: call as
 * `defineFamilies(import.meta.url, [defineFamily({ schema, build, inputShape }), …])`.
 */
export function defineFamilies<const E extends readonly FamilyEntry<NamedSchema>[]>(
  module: string,
  entries: E,
): { [K in keyof E]: ModelFamily<z.output<E[K]["schema"]>> } {
  return entries.map((entry) => ({
    name: entry.schema.shape.name.value,
    schema: entry.schema,
    build: entry.build,
    ...(entry.inputShape ? { inputShape: entry.inputShape } : {}),
    module,
  })) as unknown as { [K in keyof E]: ModelFamily<z.output<E[K]["schema"]>> };
}

/** What a family file exports; the engine hands a stage the namespace of one such file. */
export interface FamilyModule {
  MODEL_FAMILIES: readonly ModelFamily[];
}

/**
 * The family called `name` in a family module's namespace (`ctx.uses.family`).
 * @throws Error when the module defines no such model (a planner bug, named plainly).
 */
export function familyFromModule(namespace: unknown, name: string): ModelFamily {
  const families = (namespace as Partial<FamilyModule>)?.MODEL_FAMILIES;
  const family = families?.find((f) => f.name === name);
  if (family === undefined) {
    throw new Error(
      `Cannot build model '${name}': the module handed to the stage defines ${
        families?.map((f) => `'${f.name}'`).join(", ") || "no model family"
      }`,
    );
  }
  return family;
}
