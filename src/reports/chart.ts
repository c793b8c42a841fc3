/**
 * The digest chart as a PNG: incidents per day by topic (stacked bars) above the median and
 * 90th-percentile time to answer per day (lines). Drawn by hand on @napi-rs/canvas (Skia; its
 * prebuilt binary ships inside the npm package, nothing is downloaded at install).
 *
 * Fonts: Skia needs a font with Cyrillic. We use one the system has (DejaVu, Liberation, Noto,
 * PT…) or a file named by OTKLIK_CHART_FONT; on a machine with none the chart is still drawn, with
 * bars and lines but no labels, and `labelled: false` tells the caller to rely on the text digest.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { CHART_WORDS, topicLabel } from '../texts.js';
import type { ChartSeries } from './digest-stats.js';

const PREFERRED_FAMILIES = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'PT Sans', 'Open Sans', 'Roboto', 'Arial', 'FreeSans'];
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];
type TextAlign = 'left' | 'right' | 'center';
const COLORS = ['#2f6db5', '#e07b24', '#3a9d5d', '#c8423b', '#8a5cb8', '#8c6d4f', '#d66fb1', '#6f7780', '#b5b537', '#2bb3c0', '#1f3f73', '#f2b134'];

let cachedFamily: string | null | undefined;

/** A font family able to draw Cyrillic, or null when the machine has none. Found once per process. */
export function chartFontFamily(): string | null {
  if (cachedFamily !== undefined) return cachedFamily;
  const custom = process.env.OTKLIK_CHART_FONT;
  if (custom && existsSync(custom) && GlobalFonts.registerFromPath(custom, 'OtklikChart')) return (cachedFamily = 'OtklikChart');
  const families = new Set(GlobalFonts.families.map((f) => f.family));
  const present = PREFERRED_FAMILIES.find((f) => families.has(f));
  if (present) return (cachedFamily = present);
  for (const file of FONT_FILES) {
    if (existsSync(file) && GlobalFonts.registerFromPath(file, 'OtklikChart')) return (cachedFamily = 'OtklikChart');
  }
  return (cachedFamily = null);
}

export interface ChartImage {
  png: Buffer;
  /** False when no font was found and the chart carries no text. */
  labelled: boolean;
  width: number;
  height: number;
}

const W = 1000;
const H = 680;
const LEFT = 60;
const RIGHT = 190;

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= value) return step * exp;
  return 10 * exp;
}

/** Render the digest chart. Pure apart from font lookup; the same series gives the same image. */
export function renderDigestChart(series: ChartSeries, title: string): ChartImage {
  const family = chartFontFamily();
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  const text = (value: string, x: number, y: number, size: number, align: TextAlign = 'left', color = '#222') => {
    if (!family) return;
    ctx.font = `${size}px "${family}"`;
    ctx.fillStyle = color;
    ctx.textAlign = align;
    ctx.fillText(value, x, y);
  };
  text(title, LEFT, 30, 20);

  const days = series.dates.length;
  const plotW = W - LEFT - RIGHT;
  const slot = plotW / Math.max(1, days);
  const dayLabel = (i: number) => `${series.dates[i]!.slice(8, 10)}.${series.dates[i]!.slice(5, 7)}`;

  // === Top: incidents per day, stacked by topic
  const top = { y: 60, h: 330 };
  const totals = series.dates.map((_, i) => series.perTopic.reduce((s, t) => s + t.counts[i]!, 0));
  // Counts are whole: a top divisible by the 4 grid steps keeps every tick a whole number.
  const maxTotal = Math.max(4, Math.ceil(niceMax(Math.max(0, ...totals)) / 4) * 4);
  text(CHART_WORDS.perDay, LEFT, top.y - 8, 14, 'left', '#555');
  axes(ctx, top.y, top.h, plotW, maxTotal, (v) => String(v), text);
  series.perTopic.forEach((t, ti) => {
    ctx.fillStyle = COLORS[ti % COLORS.length]!;
    for (let i = 0; i < days; i++) {
      const below = series.perTopic.slice(0, ti).reduce((s, o) => s + o.counts[i]!, 0);
      const h = (t.counts[i]! / maxTotal) * top.h;
      const y0 = top.y + top.h - (below / maxTotal) * top.h;
      if (h > 0) ctx.fillRect(LEFT + i * slot + slot * 0.15, y0 - h, slot * 0.7, h);
    }
  });
  series.perTopic.forEach((t, ti) => {
    const y = top.y + 10 + ti * 22;
    ctx.fillStyle = COLORS[ti % COLORS.length]!;
    ctx.fillRect(W - RIGHT + 20, y - 11, 14, 14);
    text(`${topicLabel(t.topic)} (${t.counts.reduce((a, b) => a + b, 0)})`, W - RIGHT + 40, y + 1, 13);
  });

  // === Bottom: time to answer, in the unit the data needs
  const bottom = { y: 450, h: 170 };
  const answerValues = [...series.answerMedianHours, ...series.answerP90Hours].filter((v): v is number => v !== null);
  const axis = answerTimeAxis(Math.max(0, ...answerValues));
  const maxHours = axis.maxHours;
  text(CHART_WORDS.answerTime(axis.unit), LEFT, bottom.y - 8, 14, 'left', '#555');
  axes(ctx, bottom.y, bottom.h, plotW, axis.max, (v) => formatTick(v, axis.max / 4), text);
  const line = (values: (number | null)[], color: string, dash: number[]) => {
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2.5;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let open = false;
    values.forEach((v, i) => {
      if (v === null) return void (open = false);
      const x = LEFT + i * slot + slot / 2;
      const y = bottom.y + bottom.h - (v / maxHours) * bottom.h;
      if (open) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      open = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
    values.forEach((v, i) => {
      if (v === null) return;
      ctx.beginPath();
      ctx.arc(LEFT + i * slot + slot / 2, bottom.y + bottom.h - (v / maxHours) * bottom.h, 3.5, 0, Math.PI * 2);
      ctx.fill();
    });
  };
  line(series.answerP90Hours, '#c8423b', [6, 4]);
  line(series.answerMedianHours, '#2f6db5', []);
  ctx.fillStyle = '#2f6db5';
  ctx.fillRect(W - RIGHT + 20, bottom.y + 4, 14, 4);
  text(CHART_WORDS.median, W - RIGHT + 40, bottom.y + 11, 13);
  ctx.fillStyle = '#c8423b';
  ctx.fillRect(W - RIGHT + 20, bottom.y + 26, 14, 4);
  text(CHART_WORDS.p90, W - RIGHT + 40, bottom.y + 33, 13);

  const step = Math.ceil(days / 15);
  for (let i = 0; i < days; i += step) text(dayLabel(i), LEFT + i * slot + slot / 2, H - 30, 12, 'center', '#555');

  return { png: canvas.toBuffer('image/png'), labelled: family !== null, width: W, height: H };
}

/** The answer-time axis: its unit, its top in that unit and in hours, and the five tick labels. */
export interface AnswerTimeAxis {
  unit: 'мин' | 'ч' | 'д';
  /** The axis top in `unit`. */
  max: number;
  /** The axis top in hours (the series' unit), for placing the points. */
  maxHours: number;
  /** The labels from the bottom up, as drawn. */
  labels: string[];
}

const UNITS: { unit: AnswerTimeAxis['unit']; hours: number; upTo: number }[] = [
  { unit: 'мин', hours: 1 / 60, upTo: 2 },
  { unit: 'ч', hours: 1, upTo: 72 },
  { unit: 'д', hours: 24, upTo: Number.POSITIVE_INFINITY },
];

/**
 * The unit answer times read best in: minutes below 2 hours (answers within minutes would read
 * «0.0» on every tick in hours), days from 3 days up, hours between.
 */
export function answerTimeAxis(maxHours: number): AnswerTimeAxis {
  const { unit, hours } = UNITS.find((u) => maxHours < u.upTo)!;
  const max = niceMax(maxHours / hours);
  return { unit, max, maxHours: max * hours, labels: [0, 1, 2, 3, 4].map((k) => formatTick((max * k) / 4, max / 4)) };
}

/** A tick value with as many decimals as its step needs, none when it is whole (a comma, as Russian writes them). */
function formatTick(value: number, step: number): string {
  const decimals = Number.isInteger(step) ? 0 : step >= 0.1 ? 1 : 2;
  return String(Number(value.toFixed(decimals))).replace('.', ',');
}

function axes(
  ctx: SKRSContext2D,
  y: number,
  h: number,
  plotW: number,
  max: number,
  label: (v: number) => string,
  text: (value: string, x: number, y: number, size: number, align?: TextAlign, color?: string) => void,
): void {
  ctx.strokeStyle = '#e3e3e3';
  ctx.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const gy = y + h - (k / 4) * h;
    ctx.beginPath();
    ctx.moveTo(LEFT, gy);
    ctx.lineTo(LEFT + plotW, gy);
    ctx.stroke();
    text(label((max * k) / 4), LEFT - 8, gy + 4, 12, 'right', '#777');
  }
  ctx.strokeStyle = '#999';
  ctx.beginPath();
  ctx.moveTo(LEFT, y + h);
  ctx.lineTo(LEFT + plotW, y + h);
  ctx.stroke();
}
