/**
 * `deno task compare <A> <B> [--out DIR] [--cache-dir DIR]`: compares two past invocations,
 * runs, configs or git commits from the cached artifacts (nothing is retrained): the params that
 * differ, each metric with its difference (Welch's t-test on top-1 when both sides have seeds),
 * written as compare.md and compare.html with overlaid learning curves.
 * @module
 */
import { join } from "node:path";
import { resolveCacheDir } from "../../pipelines/cache/cache_layout.ts";
import { renderHtml } from "../report/render_html.ts";
import { renderMarkdown } from "../report/render_markdown.ts";
import { renderSvg } from "../report/render_svg.ts";
import { chartBlocks } from "../report/report_document.ts";
import { parseToolArgs, UsageError } from "./_parse_tool_args.ts";
import { compareDocument, compareText } from "./compare_document.ts";
import { compareRuns } from "./compare_runs.ts";
import { type LoadedRun, loadPastRun } from "./load_past_run.ts";
import { readHistoryRecords, runsOfRecords } from "./past_runs.ts";
import type { ToolIo } from "./runs_cli.ts";
import { type Selection, selectRuns } from "./select_runs.ts";

/** Usage of `deno task compare`. */
export const COMPARE_USAGE = `usage: deno task compare <A> <B> [options]
  A, B              a past invocation (its # in \`deno task runs\`), a run name (its newest run;
                    config/run to be exact), a config (path or name: its newest invocation) or
                    a git commit (7+ hex digits: the newest invocation at it)
  --out DIR         where compare.md, compare.html and charts/ go
                    (default reports/compare/<A>_vs_<B>)
  --cache-dir DIR   cache folder (default $CNNLAB_CACHE, else .cache)`;

/** A selector as a folder name. */
function slug(text: string): string {
  return text.replace(/\.ya?ml$/, "").replace(/[^\w.=-]+/g, "_").replace(/^[._]+/, "") || "x";
}

async function loadSide(cache: string, selection: Selection): Promise<LoadedRun[]> {
  const loaded = [];
  for (const past of selection.runs) {
    const result = await loadPastRun(cache, past);
    if (!result.ok) {
      throw new Error(
        `Cannot compare ${selection.selector} as ${result.detail}: rerun it with \`deno task pipeline\`${
          result.reason === "not-in-cache" ? " (gc may have removed it)" : ""
        }`,
      );
    }
    loaded.push(result.run);
  }
  return loaded;
}

/** Options of {@linkcode runCompareCli}: I/O, and the time zone of dates shown. */
export type CompareIo = ToolIo;

/**
 * Runs `deno task compare`.
 * @returns 0, 1 when a side's artifacts are missing or the history is unreadable, 2 for bad
 * arguments or a selector that matches nothing.
 */
export async function runCompareCli(args: readonly string[], io: CompareIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  try {
    const { values, positionals } = parseToolArgs(args, {
      out: { type: "string" },
      "cache-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      out(COMPARE_USAGE);
      return 0;
    }
    if (positionals.length !== 2) {
      throw new UsageError(
        `Cannot compare as it takes two things to compare, A and B: ${positionals.length} given`,
      );
    }
    const cache = resolveCacheDir(values["cache-dir"]);
    const past = runsOfRecords(readHistoryRecords(cache));
    if (past.length === 0) {
      throw new UsageError(`Cannot compare as no runs are recorded in ${cache} yet`);
    }
    const [a, b] = positionals.map((s) => selectRuns(s, past));
    const [runsA, runsB] = [await loadSide(cache, a), await loadSide(cache, b)];
    const comparison = compareRuns(runsA, runsB);
    if (comparison.pairs.length === 0) {
      throw new Error(
        `Cannot compare ${a.selector} with ${b.selector} as no run of one matches a run of the other (same experiment): A has ${
          runsA.map((r) => r.run.name).join(", ")
        }; B has ${runsB.map((r) => r.run.name).join(", ")}`,
      );
    }
    const document = compareDocument(comparison, a, b, { timeZone: io.timeZone });
    const dir = values.out ??
      join("reports", "compare", `${slug(a.selector)}_vs_${slug(b.selector)}`);
    await Deno.mkdir(join(dir, "charts"), { recursive: true });
    for (const chart of chartBlocks(document)) {
      await Deno.writeTextFile(
        join(dir, "charts", `${chart.name}.vl.json`),
        JSON.stringify(chart.spec, null, 2) + "\n",
      );
      await Deno.writeTextFile(
        join(dir, "charts", `${chart.name}.svg`),
        await renderSvg(chart.spec, chart.name),
      );
    }
    await Deno.writeTextFile(
      join(dir, "compare.md"),
      renderMarkdown(document, { svg: true, png: false }),
    );
    await Deno.writeTextFile(join(dir, "compare.html"), await renderHtml(document));
    out(compareText(comparison, a, b));
    out(
      `\nwrote ${join(dir, "compare.md")}, ${join(dir, "compare.html")} and ${
        chartBlocks(document).length
      } charts`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${COMPARE_USAGE}`);
      return 2;
    }
    err((error as Error).message);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await runCompareCli(Deno.args));
