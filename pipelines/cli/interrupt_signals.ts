/** The signals treated as "stop": Ctrl-C, and what schedulers (Slurm, systemd, docker) send. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Exit code of a run stopped by `signal`: 128 + the signal number, as shells report it. */
export function interruptedExitCode(signal: StopSignal): number {
  return signal === "SIGINT" ? 130 : 143;
}

/** A listener installed by {@linkcode listenForStopSignals}. */
export interface StopListener {
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Removes the listeners. */
  dispose(): void;
}

/** Options of {@linkcode listenForStopSignals}. */
export interface StopSignalOptions {
  /** Called once, on the first signal (before `controller` aborts). */
  onFirst?: (signal: StopSignal) => void;
  /** What a second signal does. Default: exit at once with 130 (SIGINT) / 143 (SIGTERM). */
  onSecond?: (signal: StopSignal) => void;
}

/**
 * First Ctrl-C or SIGTERM: `controller` aborts (running stages stop between batches and keep
 * their checkpoints; nothing new starts). A second one: exit at once.
 */
export function listenForStopSignals(
  controller: AbortController,
  options: StopSignalOptions = {},
): StopListener {
  let received: StopSignal | undefined;
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      if (received !== undefined) {
        (options.onSecond ?? ((s: StopSignal) => Deno.exit(interruptedExitCode(s))))(signal);
        return;
      }
      received = signal;
      options.onFirst?.(signal);
      controller.abort();
    };
    try {
      Deno.addSignalListener(signal, handler);
    } catch { /* a platform without this signal (SIGTERM on Windows) */ }
    return [signal, handler] as const;
  });
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const [signal, handler] of handlers) {
        try {
          Deno.removeSignalListener(signal, handler);
        } catch { /* never added */ }
      }
    },
  };
}
