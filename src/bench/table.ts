import type { Figure } from './figure.js';

const num = (value: number | null): string => {
  if (value === null || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
};

/** The figures as a plain-text table: figure, value, target, baseline, ratio, pass/fail; then the notes. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${num(f.value)} ${f.unit}`,
    f.target,
    `${num(f.baseline)} (${f.baselineName})`,
    `${num(f.ratio)} (${f.ratioMeaning})`,
    f.pass === null ? '—' : f.pass ? 'PASS' : 'FAIL',
  ]);
  const header = ['figure', 'value', 'target', 'baseline', 'ratio', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  const notes = figures.map((f) => `- ${f.id}: ${f.note}`);
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line), '', 'How each was measured:', ...notes].join('\n');
}
