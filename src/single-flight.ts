/** An async task that runs once at a time: a call while it runs gets the run in flight. */
export interface SingleFlight<T> {
  run(): Promise<T>;
  /** The run in flight, or null. */
  inFlight(): Promise<T> | null;
}

/** Wrap `task` so concurrent callers (a schedule, a test, a benchmark) share one run. */
export function singleFlight<T>(task: () => Promise<T>): SingleFlight<T> {
  let current: Promise<T> | null = null;
  return {
    run: () =>
      (current ??= task().finally(() => {
        current = null;
      })),
    inFlight: () => current,
  };
}
