/**
 * Checks a written report directory against itself: every number of report.md's results table
 * against metrics/final.csv (full precision), and every chart the Markdown links to on disk.
 * Usable on fixture output and on committed example reports (reports/<config>/).
 * @module
 */
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { parseAccuracy, parseNumber, tableStartingWith } from "./_markdown_tables.ts";

/**
 * @returns one line per problem, e.g. "lenet: Test top-1 shows 89.41 % but final.csv has 0.894";
 *   empty when the report is consistent
 */
export async function checkPublishedReport(dir: string): Promise<string[]> {
  const problems: string[] = [];
  const markdown = await Deno.readTextFile(join(dir, "report.md"));
  const final = parse(await Deno.readTextFile(join(dir, "metrics/final.csv")), {
    columns: true,
  }) as Record<string, string>[];
  const table = tableStartingWith(markdown, "Run", "Model", "Params", "Epochs", "Val top-1");
  const column = (name: string) => table.headers.indexOf(name);
  // Half a unit of the last digit shown: 2 decimals of a percentage or 4 of a fraction are both
  // 0.0001 as a fraction; the default `decimals` is assumed.
  const accuracyTolerance = 0.00005;
  if (table.rows.length !== final.length) {
    problems.push(`the table has ${table.rows.length} runs but final.csv has ${final.length}`);
  }
  for (const row of table.rows) {
    const name = row[0].replaceAll("**", "");
    const csv = final.find((r) => r.run === name);
    if (!csv) {
      problems.push(`${name}: not in final.csv`);
      continue;
    }
    const near = (header: string, shown: number | null, value: string, tolerance: number) => {
      const expected = value === "" ? null : Number(value);
      const ok = shown === null || expected === null
        ? shown === expected
        : Math.abs(shown - expected) <= tolerance;
      if (!ok) {
        problems.push(`${name}: ${header} shows ${row[column(header)]} but final.csv has ${value}`);
      }
    };
    near("Params", parseNumber(row[column("Params")]), csv.params, 0);
    near("Epochs", Number(row[column("Epochs")].split(" of ")[0]), csv.epochs, 0);
    near("Val top-1", parseAccuracy(row[column("Val top-1")]), csv.val_top1, accuracyTolerance);
    near("Test top-1", parseAccuracy(row[column("Test top-1")]), csv.test_top1, accuracyTolerance);
    near("Top-5", parseAccuracy(row[column("Top-5")]), csv.test_top5, accuracyTolerance);
    near("Loss", parseNumber(row[column("Loss")]), csv.test_loss, 0.00005);
    if (row[column("Backend")] !== csv.backend) {
      problems.push(
        `${name}: Backend shows ${row[column("Backend")]} but final.csv has ${csv.backend}`,
      );
    }
  }
  for (const [, path] of markdown.matchAll(/\]\((charts\/[^)]+)\)/g)) {
    try {
      await Deno.stat(join(dir, path));
    } catch {
      problems.push(`report.md links to ${path}, which does not exist`);
    }
  }
  return problems;
}
