/**
 * The stages completed in a cache, read from the entries' manifests: what time estimates rest on.
 * @module
 */
import { join } from "node:path";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { Manifest } from "../cache/manifest.ts";
import { outputDigest } from "../graph/fingerprint.ts";
import type { MeasuredStage } from "../types.ts";

/**
 * Reads every entry's manifest once; `measured(kind)` then lists that kind's stages, newest
 * first (the same array on every call: callers must not change it). Entries with an unreadable
 * manifest are left out (they are not trusted anyway).
 */
export function measuredStages(layout: CacheLayout): (kind: string) => Promise<MeasuredStage[]> {
  let all: Promise<MeasuredStage[]> | undefined;
  const load = async (): Promise<MeasuredStage[]> => {
    const stages: MeasuredStage[] = [];
    let names: string[];
    try {
      names = [...Deno.readDirSync(join(layout.root, "entries"))].map((e) => e.name);
    } catch {
      return [];
    }
    for (const name of names) {
      let manifest: Manifest;
      try {
        manifest = JSON.parse(await Deno.readTextFile(join(layout.entry(name), "manifest.json")));
      } catch {
        continue;
      }
      if (!manifest?.object || !manifest.files || !manifest.timings) continue;
      stages.push({
        id: manifest.id,
        kind: manifest.object.kind,
        params: manifest.object.params,
        runtime: manifest.object.runtime,
        inputs: manifest.object.inputs,
        digest: outputDigest(manifest.files),
        seconds: manifest.timings.seconds,
        started: manifest.timings.started,
        outDir: join(layout.entry(name), "out"),
      });
    }
    return stages.sort((a, b) => b.started.localeCompare(a.started));
  };
  // One list per kind, made once: a sweep of many runs asks for every stage it estimates.
  const byKind = new Map<string, MeasuredStage[]>();
  return async (kind) => {
    const stages = await (all ??= load());
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, list = stages.filter((s) => s.kind === kind));
    return list;
  };
}
