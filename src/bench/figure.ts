import { sleep } from '../retry.js';

/**
 * One measured figure of `npm run bench`: the value, its target, the baseline measured in the
 * same run and their ratio. `pass` is null when a figure has no target of its own.
 */
export interface Figure {
  /** Stable key in the JSON output, e.g. `vk.requestsPerCycle`. */
  id: string;
  /** What was measured, for the table. */
  name: string;
  value: number;
  unit: string;
  /** The target in words, e.g. "≥ 100× fewer than naive". */
  target: string;
  baselineName: string;
  baseline: number | null;
  /** How the figure compares with the baseline (direction stated in `ratioMeaning`). */
  ratio: number | null;
  ratioMeaning: string;
  pass: boolean | null;
  /** Exactly what was measured and how (sizes, settings). */
  note: string;
}

/** Percentile (nearest rank) of ascending-sorted numbers; NaN for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Polls `check` every `everyMs` until it is true; throws after `timeoutMs` naming `what`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
