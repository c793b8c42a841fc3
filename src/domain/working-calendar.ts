/**
 * Working time in the region's time zone: which days are working days, when the working day
 * starts and ends, and how to add N working hours to an instant. Pure: the zone offset comes
 * from Intl.DateTimeFormat, so no tz library and no `node:*` import.
 */

export interface WorkingCalendarSpec {
  /** IANA zone, e.g. 'Europe/Moscow'. */
  timezone: string;
  /** ISO weekdays 1 (Mon) … 7 (Sun) that are working days. */
  workingDays: readonly number[];
  /** 'HH:MM' local time the working day starts. */
  dayStart: string;
  /** 'HH:MM' local time the working day ends; after dayStart. */
  dayEnd: string;
  /** 'YYYY-MM-DD' days off, whatever their weekday. */
  holidays: readonly string[];
  /** 'YYYY-MM-DD' weekend days that are working days by decree (перенос). */
  extraWorkingDays: readonly string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A working calendar with no working day for ten years is a configuration error, not a loop. */
const MAX_DAYS_SCANNED = 3660;

// === Time zones through Intl

/** Local wall-clock fields of an instant in a zone. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function zonedParts(instant: number, timezone: string): ZonedParts {
  const out: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** Milliseconds the zone is ahead of UTC at `instant` (Moscow: +3 h). */
export function zoneOffsetMs(instant: number, timezone: string): number {
  const p = zonedParts(instant, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** 'YYYY-MM-DD' of the local date of an instant. */
export function localDate(instant: number, timezone: string): string {
  const p = zonedParts(instant, timezone);
  return isoDate(p.year, p.month, p.day);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y!, m!, d!];
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * The instant at local `date` + `minutes` after midnight in the zone. Two passes settle the
 * offset across a DST change; a wall time that does not exist resolves to the later offset.
 */
export function zonedTimeToInstant(date: string, minutes: number, timezone: string): number {
  const [y, m, d] = parseDate(date);
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  let guess = wall - zoneOffsetMs(wall, timezone);
  guess = wall - zoneOffsetMs(guess, timezone);
  return guess;
}

/** The local date `days` after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** ISO weekday of a local date: 1 (Mon) … 7 (Sun). */
export function isoWeekday(date: string): number {
  const [y, m, d] = parseDate(date);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

// === The calendar

/**
 * Adds and measures working time. Every method is deterministic for a spec; results are epoch ms.
 * Working time inside a day is [dayStart, dayEnd) local time of a working day.
 */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<string>;
  private readonly extra: ReadonlySet<string>;
  private readonly startMin: number;
  private readonly endMin: number;

  constructor(readonly spec: WorkingCalendarSpec) {
    this.holidays = new Set(spec.holidays);
    this.extra = new Set(spec.extraWorkingDays);
    this.startMin = minutesOf(spec.dayStart);
    this.endMin = minutesOf(spec.dayEnd);
    if (this.endMin <= this.startMin) throw new RangeError(`working day ends (${spec.dayEnd}) before it starts (${spec.dayStart})`);
    if (spec.workingDays.length === 0 && spec.extraWorkingDays.length === 0) throw new RangeError('a working calendar needs working days');
  }

  /** Hours in one working day (9 for 09:00–18:00). */
  get hoursPerDay(): number {
    return (this.endMin - this.startMin) / 60;
  }

  /** A holiday is never a working day; an extra working day always is; otherwise the weekday decides. */
  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.extra.has(date)) return true;
    return this.spec.workingDays.includes(isoWeekday(date));
  }

  /** [start, end) of working time on a local date, or null on a day off. */
  private workingSpan(date: string): [number, number] | null {
    if (!this.isWorkingDay(date)) return null;
    const tz = this.spec.timezone;
    return [zonedTimeToInstant(date, this.startMin, tz), zonedTimeToInstant(date, this.endMin, tz)];
  }

  /**
   * The instant after `ms` of working time counted from `from`. Time outside working hours does
   * not count, so a deadline that runs out exactly at day end is that day end (not 09:00 next day).
   * `ms <= 0` returns `from` unchanged.
   */
  addWorkingMs(from: number, ms: number): number {
    if (ms <= 0) return from;
    let remaining = ms;
    let date = localDate(from, this.spec.timezone);
    for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = addDays(date, 1)) {
      const span = this.workingSpan(date);
      if (!span) continue;
      const start = Math.max(span[0], from);
      if (start >= span[1]) continue;
      const available = span[1] - start;
      if (remaining <= available) return start + remaining;
      remaining -= available;
    }
    throw new RangeError('no working time found in ten years: check workingCalendar');
  }

  addWorkingHours(from: number, hours: number): number {
    return this.addWorkingMs(from, hours * HOUR);
  }

  /** Working time between two instants (0 when `to <= from`). */
  workingMsBetween(from: number, to: number): number {
    if (to <= from) return 0;
    let total = 0;
    let date = localDate(from, this.spec.timezone);
    const lastDate = localDate(to, this.spec.timezone);
    for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = addDays(date, 1)) {
      const span = this.workingSpan(date);
      if (span) total += Math.max(0, Math.min(span[1], to) - Math.max(span[0], from));
      if (date === lastDate) return total;
    }
    return total;
  }
}

export const MS_PER_HOUR = HOUR;
export const MS_PER_DAY = DAY;
