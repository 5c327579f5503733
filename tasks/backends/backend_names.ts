/**
 * The `backend:` setting: names and schema.
 * @module
 */
import { z } from "zod";

/** Backends a run may ask for; `auto` picks the fastest available one. */
export const BACKEND_NAMES = ["auto", "tensorflow", "webgpu", "wasm", "cpu", "native"] as const;

/** One of {@linkcode BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Zod schema of the run parameter `backend` (a plain enum: the run schema sets the default, `auto`). */
export const backendSchema = z.enum(BACKEND_NAMES);
