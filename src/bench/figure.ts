import { percentile as nearestRank } from '../reports/percentile.js';
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

/** The reports' nearest-rank percentile with `p` in percent, as the bench's tables write it; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  return nearestRank(values, p / 100) ?? Number.NaN;
}

/** Polls `check` every `everyMs` until it is true; throws after `timeoutMs` naming `what`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
