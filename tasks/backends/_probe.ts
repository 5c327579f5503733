/** Outcome of a backend probe: available with a description, or not with the reason and the fix. */
export type Probe = { ok: true; detail: string } | { ok: false; reason: string };
