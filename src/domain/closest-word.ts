/**
 * The known word nearest to a misspelt one, for hints in refusals («did you mean …?»): unknown
 * config keys and template keys, a time zone with a look-alike letter. Pure.
 */

/** The candidate within `maxEdits` edits of `word` (default 3), the nearest first; undefined when none is that close. */
export function closestWord(word: string, candidates: Iterable<string>, maxEdits = 3): string | undefined {
  let best: string | undefined;
  let bestDistance = maxEdits + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without the table.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
