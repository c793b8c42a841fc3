import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDate, WorkingCalendar, type WorkingCalendarSpec, zonedTimeToInstant } from '../../../src/domain/working-calendar.js';

const HOUR = 3_600_000;
/** Moscow is UTC+3 all year. */
const msk = (iso: string) => Date.parse(`${iso}+03:00`);

const spec: WorkingCalendarSpec = {
  timezone: 'Europe/Moscow',
  workingDays: [1, 2, 3, 4, 5],
  dayStart: '09:00',
  dayEnd: '18:00',
  holidays: ['2026-11-04'],
  extraWorkingDays: [],
};

describe('WorkingCalendar', () => {
  const calendar = new WorkingCalendar(spec);

  it('should carry working hours across a weekend', () => {
    // Friday 16:00 + 9 h: 2 h on Friday, 7 h on Monday.
    expect(calendar.addWorkingHours(msk('2026-11-20T16:00:00'), 9)).toBe(msk('2026-11-23T16:00:00'));
  });

  it('should start counting at the next working morning when created on a weekend or at night', () => {
    expect(calendar.addWorkingHours(msk('2026-11-21T10:00:00'), 3)).toBe(msk('2026-11-23T12:00:00'));
    expect(calendar.addWorkingHours(msk('2026-11-23T23:30:00'), 1)).toBe(msk('2026-11-24T10:00:00'));
    expect(calendar.addWorkingHours(msk('2026-11-24T06:00:00'), 0.5)).toBe(msk('2026-11-24T09:30:00'));
  });

  it('should end a deadline at the end of the day rather than the next morning', () => {
    expect(calendar.addWorkingHours(msk('2026-11-20T09:00:00'), 9)).toBe(msk('2026-11-20T18:00:00'));
  });

  it('should skip holidays', () => {
    // Tuesday 17:00 + 3 h: 1 h Tuesday, Wednesday 4 November is a holiday, 2 h on Thursday.
    expect(calendar.addWorkingHours(msk('2026-11-03T17:00:00'), 3)).toBe(msk('2026-11-05T11:00:00'));
  });

  it('should count extra working days on a weekend', () => {
    const withSaturday = new WorkingCalendar({ ...spec, extraWorkingDays: ['2026-11-21'] });
    expect(withSaturday.isWorkingDay('2026-11-21')).toBe(true);
    expect(withSaturday.addWorkingHours(msk('2026-11-20T16:00:00'), 9)).toBe(msk('2026-11-21T16:00:00'));
  });

  it('should measure working time between two instants', () => {
    expect(calendar.workingMsBetween(msk('2026-11-20T16:00:00'), msk('2026-11-23T16:00:00'))).toBe(9 * HOUR);
    expect(calendar.workingMsBetween(msk('2026-11-21T00:00:00'), msk('2026-11-22T23:59:00'))).toBe(0);
    expect(calendar.workingMsBetween(msk('2026-11-23T10:00:00'), msk('2026-11-23T09:00:00'))).toBe(0);
  });

  it('should be the inverse of addWorkingMs', () => {
    const from = msk('2026-11-19T13:17:00');
    for (const hours of [0.25, 1, 5, 9, 20, 63]) {
      const to = calendar.addWorkingHours(from, hours);
      expect(calendar.workingMsBetween(from, to)).toBe(hours * HOUR);
    }
  });

  it('should follow a daylight saving change in a zone that has one', () => {
    const berlin = new WorkingCalendar({ ...spec, timezone: 'Europe/Berlin', holidays: [] });
    // Friday 27 March 2026 16:00 CET (UTC+1); clocks go forward on Sunday 29 March; Monday is CEST (UTC+2).
    const from = Date.parse('2026-03-27T16:00:00+01:00');
    expect(berlin.addWorkingHours(from, 9)).toBe(Date.parse('2026-03-30T16:00:00+02:00'));
    expect(zonedTimeToInstant('2026-03-30', 9 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-03-30T07:00:00Z'));
  });

  it('should use the local date of the region, not of UTC', () => {
    // 20:00 UTC on Friday is already Saturday 06:00 in Vladivostok (UTC+10).
    const instant = Date.parse('2026-11-20T20:00:00Z');
    expect(localDate(instant, 'Asia/Vladivostok')).toBe('2026-11-21');
    const vladivostok = new WorkingCalendar({ ...spec, timezone: 'Asia/Vladivostok', holidays: [] });
    expect(vladivostok.addWorkingHours(instant, 1)).toBe(Date.parse('2026-11-23T10:00:00+10:00'));
  });

  it('should do calendar arithmetic on local dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('2026-11-23')).toBe(1);
  });

  it('should refuse a day that ends before it starts', () => {
    expect(() => new WorkingCalendar({ ...spec, dayStart: '18:00', dayEnd: '09:00' })).toThrow(RangeError);
  });
});
