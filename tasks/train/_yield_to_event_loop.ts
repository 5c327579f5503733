/**
 * Lets the event loop run once (signal handlers, timers, I/O callbacks). A training step only
 * awaits promises that are already resolved, so without this a Ctrl-C would be seen only when the
 * epoch ends. `setImmediate` costs microseconds (a zero `setTimeout` is clamped to milliseconds).
 * @module
 */
import { setImmediate } from "node:timers";

/** Resolves after the event loop has had a turn. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
