/**
 * The bench's model table: every workload (bench_workloads.ts) trained and evaluated on the
 * project's backends and on its PyTorch twin (torch_bench.py), interleaved round by round, best
 * of the rounds, with each side's peak resident memory in training and in inference and the
 * training GFLOP/s.
 * @module
 */
import type { BenchWorkload } from "./bench_workloads.ts";
import { runChild } from "./_run_child.ts";

/** Options of {@linkcode benchModels}. */
export interface BenchModelsOptions {
  /** Project backends to time, e.g. `["native"]`. */
  backends: string[];
  /** Interleaved rounds (project backends, then PyTorch); the best of them counts. */
  rounds: number;
  /** Timed seconds per measurement (at least one step and one inference batch are timed). */
  seconds: number;
  /** Threads of each side (CNNLAB_THREADS, torch.set_num_threads). */
  threads: number;
  /** Also time the PyTorch twins (needs /usr/bin/python3 with torch). */
  torch: boolean;
  /** `performance.now()` after which no measurement starts (the bench's time budget). */
  deadline: number;
  /** The attainable GFLOP/s (matmul_peak.ts) the training GFLOP/s are compared with; 0 = none. */
  peakGflops: number;
  /** Receives the table, one line at a time. */
  log: (line: string) => void;
}

/** One side's best measurement of a workload. */
export interface Measurement {
  imagesPerSec?: number;
  evalImagesPerSec?: number;
  params?: number;
  multAdds?: number;
  /** Peak resident bytes up to the end of the training steps. */
  trainPeakRssBytes?: number;
  /** Peak resident bytes while inference ran, after the training peak was reset. */
  evalPeakRssBytes?: number;
  error?: string;
}

/** A workload's results: per project backend, and PyTorch's (null when not run). */
export interface ModelRow {
  workload: BenchWorkload;
  backends: Record<string, Measurement>;
  torch: Measurement | null;
}

const HERE = new URL(".", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

function merge(best: Measurement | undefined, next: Measurement): Measurement {
  if (best === undefined || best.error) return next.error && best ? best : next;
  if (next.error) return best;
  const max = (
    a?: number,
    b?: number,
  ) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  return {
    imagesPerSec: max(best.imagesPerSec, next.imagesPerSec),
    evalImagesPerSec: max(best.evalImagesPerSec, next.evalImagesPerSec),
    params: best.params ?? next.params,
    multAdds: best.multAdds ?? next.multAdds,
    trainPeakRssBytes: max(best.trainPeakRssBytes, next.trainPeakRssBytes),
    evalPeakRssBytes: max(best.evalPeakRssBytes, next.evalPeakRssBytes),
  };
}

function measurementOf(line: Record<string, unknown> | undefined, error?: string): Measurement {
  if (error !== undefined || line === undefined) return { error: error ?? "no result" };
  if (typeof line.error === "string") return { error: line.error };
  const num = (k: string) => (typeof line[k] === "number" ? line[k] as number : undefined);
  return {
    imagesPerSec: num("imagesPerSec"),
    evalImagesPerSec: num("evalImagesPerSec"),
    params: num("params"),
    multAdds: num("multAdds"),
    trainPeakRssBytes: num("trainPeakRssBytes"),
    evalPeakRssBytes: num("evalPeakRssBytes"),
  };
}

function spec(w: BenchWorkload, o: BenchModelsOptions) {
  return {
    ...w,
    warmup: 1,
    steps: 10_000,
    maxSeconds: o.seconds,
    evalBatches: 10_000,
    threads: o.threads,
  };
}

const timeLeft = (o: BenchModelsOptions) => (o.deadline - performance.now()) / 1000;

/** Times one workload: `rounds` × (each backend, then PyTorch). */
async function benchOne(w: BenchWorkload, o: BenchModelsOptions): Promise<ModelRow> {
  const row: ModelRow = { workload: w, backends: {}, torch: null };
  const json = JSON.stringify(spec(w, o));
  for (let round = 0; round < o.rounds; round++) {
    for (const backend of o.backends) {
      if (timeLeft(o) <= 0) break;
      const r = await runChild(Deno.execPath(), [
        "run",
        "-A",
        "--unstable-webgpu",
        `${HERE}train_speed.ts`,
        backend,
        json,
      ], {
        env: { CNNLAB_THREADS: String(o.threads) },
        timeoutSeconds: Math.max(1, Math.min(timeLeft(o), 600)),
      });
      row.backends[backend] = merge(row.backends[backend], measurementOf(r.lines[0], r.error));
    }
    if (o.torch && timeLeft(o) > 0) {
      // PyTorch alternates OpenMP's wait policy: its default spinning is fastest on idle cores,
      // PASSIVE (what the native backend uses) on busy ones (7x on a loaded 2-core machine).
      const r = await runChild(PYTHON, [`${HERE}torch_bench.py`, json], {
        env: round % 2 === 1 ? { OMP_WAIT_POLICY: "PASSIVE" } : {},
        timeoutSeconds: Math.max(1, Math.min(timeLeft(o), 600)),
      });
      row.torch = merge(row.torch ?? undefined, measurementOf(r.lines[0], r.error));
    }
  }
  return row;
}

function pad(s: string, n: number, right = false): string {
  if (s.length >= n) return s;
  return right ? " ".repeat(n - s.length) + s : s + " ".repeat(n - s.length);
}

const rate = (v?: number) => (v === undefined ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}×` : "-");
const mb = (v?: number) => (v === undefined ? "-" : `${Math.round(v / 2 ** 20)}`);

const COLUMNS: [string, number][] = [
  ["config:run", 44],
  ["input", 10],
  ["batch", 5],
  ["backend", 7],
  ["train", 8],
  ["PyTorch", 8],
  ["ratio", 6],
  ["eval", 8],
  ["PyTorch", 8],
  ["ratio", 6],
  ["GFLOP/s", 14],
  ["train MB", 8],
  ["PyTorch", 7],
  ["ratio", 6],
  ["eval MB", 7],
  ["PyTorch", 7],
  ["ratio", 6],
];

function tableLine(cells: string[]): string {
  return cells.map((c, i) => pad(c, COLUMNS[i][1], i >= 4)).join(" ").trimEnd();
}

/** The lines of one workload's rows (one per backend). */
export function formatModelRow(row: ModelRow, peakGflops: number): string[] {
  const w = row.workload;
  const t = row.torch ?? {};
  const lines: string[] = [];
  for (const [backend, m] of Object.entries(row.backends)) {
    const head = [w.id, w.inputShape.join("×"), String(w.batchSize), backend];
    if (m.error !== undefined) {
      lines.push(`${tableLine(head)}  ${m.error}`);
      continue;
    }
    // A training step is ~3 forward passes of work: forward, input gradient, weight gradient.
    const gflops = m.multAdds && m.imagesPerSec ? (6 * m.multAdds * m.imagesPerSec) / 1e9 : 0;
    const share = peakGflops > 0 && gflops > 0
      ? ` (${Math.round((100 * gflops) / peakGflops)}%)`
      : "";
    // One figure: this side's, PyTorch's and their ratio.
    const sideBySide = (key: keyof Measurement, format: (v?: number) => string) => {
      const [a, b] = [m[key], t[key]] as (number | undefined)[];
      return [format(a), format(b), ratio(a, b)];
    };
    lines.push(tableLine([
      ...head,
      ...sideBySide("imagesPerSec", rate),
      ...sideBySide("evalImagesPerSec", rate),
      gflops > 0 ? `${gflops.toFixed(1)}${share}` : "-",
      ...sideBySide("trainPeakRssBytes", mb),
      ...sideBySide("evalPeakRssBytes", mb),
    ]));
    if (t.params !== undefined && m.params !== undefined && t.params !== m.params) {
      lines.push(`  !! parameter counts differ: ${m.params} here, ${t.params} in the PyTorch twin`);
    }
  }
  if (row.torch?.error) lines.push(`  PyTorch: ${row.torch.error}`);
  if (w.also.length > 0) lines.push(`  (also ${w.also.join(", ")})`);
  return lines;
}

/** The header lines of the table. */
export function modelTableHeader(): string[] {
  return [
    tableLine(COLUMNS.map(([name]) => name)),
    tableLine(COLUMNS.map(([, n]) => "-".repeat(n))),
  ];
}

/**
 * Times every workload, printing each row as soon as it is measured.
 * @returns the rows (workloads not reached within the deadline are left out and logged).
 */
export async function benchModels(
  workloads: BenchWorkload[],
  o: BenchModelsOptions,
): Promise<ModelRow[]> {
  modelTableHeader().forEach((l) => o.log(l));
  const rows: ModelRow[] = [];
  for (const w of workloads) {
    if (timeLeft(o) <= 0) {
      o.log(`${w.id}: not measured (the bench's time budget is spent; see --budget)`);
      continue;
    }
    const row = await benchOne(w, o);
    rows.push(row);
    formatModelRow(row, o.peakGflops).forEach((l) => o.log(l));
  }
  return rows;
}
