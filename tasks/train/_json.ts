/** JSON values, as in pipelines/types.ts (kept local so tasks/train builds on its own). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
