/**
 * The schedules of config.schedules: validated with the rest of the config at startup (by the
 * same node-cron that runs them, src/jobs/scheduler.ts), and the VK poll interval as a schedule.
 */
import cron from 'node-cron';
import { ConfigError } from './errors.js';

/**
 * Throw a readable ConfigError when a schedule is not a valid node-cron expression, or restricts
 * both day-of-month and day-of-week: node-cron 4 combines the two with AND (classic cron uses OR),
 * so '0 9 1 * 1' runs only on Mondays that are the 1st — almost never what was meant.
 */
export function validateSchedule(name: string, expression: string): void {
  const detail = cron.validateDetailed(expression);
  if (!detail.valid) {
    const why = detail.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new ConfigError(`schedules.${name} = "${expression}" is not a valid cron expression (${why})`);
  }
  const fields = expression.trim().split(/\s+/);
  const [dom, dow] = fields.length === 6 ? [fields[3], fields[5]] : [fields[2], fields[4]];
  if (dom !== '*' && dom !== '?' && dow !== '*' && dow !== '?') {
    throw new ConfigError(
      `schedules.${name} = "${expression}" restricts both day of month and day of week; node-cron 4 requires both to match (AND). Use one of them.`,
    );
  }
}

/**
 * A node-cron expression that fires at least every `seconds` (5 … 3600): a step of N in the
 * seconds field below a minute, in the minutes field below an hour, else hourly. A period that does not
 * divide the minute (or hour) evenly still never leaves a longer gap than asked, since the count
 * restarts at each minute (hour).
 */
export function intervalSchedule(seconds: number): string {
  const s = Math.max(1, Math.floor(seconds));
  if (s < 60) return `*/${s} * * * * *`;
  const minutes = Math.floor(s / 60);
  return minutes < 60 ? `0 */${minutes} * * * *` : '0 0 * * * *';
}

/** Validate every schedule of config.schedules at once (call at startup). */
export function validateSchedules(schedules: Record<string, string>): void {
  for (const [name, expression] of Object.entries(schedules)) validateSchedule(name, expression);
}
