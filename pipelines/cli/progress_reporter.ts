import type { ProgressUpdate } from "../types.ts";

/** Receives what running stages say; the runner calls it, the CLI renders it. */
export interface Reporter {
  log(stage: string, line: string): void;
  progress(stage: string, update: ProgressUpdate): void;
  /** The stage ended (its bar, if any, is removed). */
  done(stage: string): void;
}

/** A reporter that drops everything (library use, tests). */
export const silentReporter: Reporter = { log() {}, progress() {}, done() {} };

/** Options of {@linkcode createConsoleReporter}. */
export interface ConsoleReporterOptions {
  /** Redraw one status line in place. Default: whether stderr is a terminal. */
  tty?: boolean;
  /** Where text goes. Default: stderr. */
  write?: (text: string) => void;
  /** Without a TTY, print a stage's progress at most this often (ms); the last step always prints. Default: 10000. */
  intervalMs?: number;
  /** Clock in ms. Default: `Date.now`. */
  now?: () => number;
  /** Terminal width; the redrawn line is cut to fit so it never wraps. Default: the console's. */
  columns?: () => number;
}

/** `1:05`, `2:03:09`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hms[0] > 0 ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

/** One progress line: `[train:lenet] ██████░░░░ 3/10 epochs 1.50 epochs/s ETA 0:05 note`. */
export function formatProgress(
  stage: string,
  update: ProgressUpdate,
  rate: number | undefined,
): string {
  const fraction = update.total > 0 ? Math.min(1, update.done / update.total) : 0;
  const filled = Math.round(fraction * 20);
  const bar = "█".repeat(filled) + "░".repeat(20 - filled);
  const speed = rate && rate > 0
    ? `${rate < 10 ? rate.toFixed(2) : rate.toFixed(0)} ${update.unit}/s`
    : `-- ${update.unit}/s`;
  const eta = rate && rate > 0
    ? `ETA ${formatDuration((update.total - update.done) / rate)}`
    : "ETA --";
  const note = update.note ? ` ${update.note}` : "";
  return `[${stage}] ${bar} ${update.done}/${update.total} ${update.unit} ${speed} ${eta}${note}`;
}

/**
 * Renders logs and progress on stderr: in a terminal one status line is redrawn in place (logs
 * print above it); otherwise progress is printed as plain lines every `intervalMs`.
 */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const tty = options.tty ?? Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  const write = options.write ?? ((text: string) => Deno.stderr.writeSync(encoder.encode(text)));
  const interval = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const columns = options.columns ?? (() => {
    try {
      return Deno.consoleSize().columns;
    } catch {
      return 120;
    }
  });
  const first = new Map<string, { done: number; time: number; unit: string; last: number }>();
  const lastPrint = new Map<string, number>();
  let statusLine = "";
  const clear = () => statusLine && write("\r\x1b[2K");
  return {
    log(stage, line) {
      clear();
      write(`[${stage}] ${line}\n`);
      if (statusLine) write(statusLine);
    },
    progress(stage, update) {
      const t = now();
      // A new unit, or a counter that went back, starts a new rate measurement.
      const previous = first.get(stage);
      const fresh = !previous || previous.unit !== update.unit || update.done < previous.last;
      const start = fresh
        ? { done: update.done, time: t, unit: update.unit, last: update.done }
        : previous;
      start.last = update.done;
      first.set(stage, start);
      const elapsed = (t - start.time) / 1000;
      const rate = elapsed > 0 ? (update.done - start.done) / elapsed : undefined;
      const line = formatProgress(stage, update, rate);
      const last = lastPrint.get(stage);
      if (tty) {
        // Redraw at most ten times a second: stages may report every batch.
        if (last !== undefined && t - last < 100 && update.done < update.total) return;
        lastPrint.set(stage, t);
        clear();
        statusLine = [...line].slice(0, Math.max(20, columns() - 1)).join("");
        write(statusLine);
        return;
      }
      if (last === undefined || t - last >= interval || update.done >= update.total) {
        lastPrint.set(stage, t);
        write(line + "\n");
      }
    },
    done(stage) {
      first.delete(stage);
      lastPrint.delete(stage);
      if (tty && statusLine.startsWith(`[${stage}] `)) {
        clear();
        statusLine = "";
      }
    },
  };
}
