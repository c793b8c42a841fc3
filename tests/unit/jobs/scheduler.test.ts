import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { JobScheduler } from '../../../src/jobs/scheduler.js';
import { silentLogger } from '../../../src/logger.js';
import { validateSchedule, validateSchedules } from '../../../src/schedules.js';
import { testConfig } from '../../helpers/index.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The next runs of an expression from a fixed instant, read from node-cron itself with a faked clock. */
function nextRuns(expression: string, fromIso: string, count: number, timezone = 'Europe/Moscow'): string[] {
  vi.useFakeTimers({ now: Date.parse(fromIso) });
  try {
    const task = cron.createTask(expression, () => undefined, { timezone });
    const runs = task.getNextRuns(count).map((d) => d.toISOString());
    void task.destroy();
    return runs;
  } finally {
    vi.useRealTimers();
  }
}

describe('shipped schedules', () => {
  const config = testConfig();

  it('should all be valid node-cron expressions without a day-of-month AND day-of-week trap', () => {
    expect(() => validateSchedules(config.schedules)).not.toThrow();
  });

  it('should send the digest at 09:00 Moscow time every day, weekends included', () => {
    // 2026-11-20 is a Friday; 09:00 MSK is 06:00 UTC.
    expect(nextRuns(config.schedules.digest, '2026-11-20T07:00:00Z', 3)).toEqual([
      '2026-11-21T06:00:00.000Z',
      '2026-11-22T06:00:00.000Z',
      '2026-11-23T06:00:00.000Z',
    ]);
  });

  it('should run retention at 03:30 Moscow time', () => {
    expect(nextRuns(config.schedules.retention, '2026-11-20T07:00:00Z', 1)).toEqual(['2026-11-21T00:30:00.000Z']);
  });

  it('should check deadlines every 5 minutes and spikes every 10', () => {
    expect(nextRuns(config.schedules.deadlines, '2026-11-20T07:02:00Z', 2)).toEqual(['2026-11-20T07:05:00.000Z', '2026-11-20T07:10:00.000Z']);
    expect(nextRuns(config.schedules.spikes, '2026-11-20T07:02:00Z', 2)).toEqual(['2026-11-20T07:10:00.000Z', '2026-11-20T07:20:00.000Z']);
  });

  it('should deliver the outbox every 5 seconds and poll VK every minute', () => {
    expect(nextRuns(config.schedules.outbox, '2026-11-20T07:00:01Z', 2)).toEqual(['2026-11-20T07:00:05.000Z', '2026-11-20T07:00:10.000Z']);
    expect(nextRuns(config.schedules.vkPoll, '2026-11-20T07:00:01Z', 2)).toEqual(['2026-11-20T07:01:00.000Z', '2026-11-20T07:02:00.000Z']);
  });

  it('should show why day-of-month and day-of-week together are refused: node-cron ANDs them', () => {
    // Classic cron would run on the 1st and on every Monday; node-cron 4 runs only on Mondays that are the 1st.
    expect(nextRuns('0 9 1 * 1', '2026-01-01T00:00:00Z', 2, 'UTC')).toEqual(['2026-06-01T09:00:00.000Z', '2027-02-01T09:00:00.000Z']);
    expect(() => validateSchedule('digest', '0 9 1 * 1')).toThrow(/day of month and day of week/);
  });

  it('should refuse an invalid expression with the key in the message', () => {
    expect(() => validateSchedule('digest', '0 25 * * *')).toThrow(ConfigError);
    expect(() => validateSchedule('digest', 'every day')).toThrow(/schedules\.digest/);
  });
});

describe('JobScheduler', () => {
  let scheduler: JobScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  it('should never run a job twice at once', async () => {
    const gate = deferred();
    let runs = 0;
    scheduler = new JobScheduler({ logger: silentLogger(), timezone: 'Europe/Moscow' });
    scheduler.register({
      name: 'slow',
      schedule: '0 0 1 1 *',
      task: async () => {
        runs += 1;
        await gate.promise;
      },
    });
    const first = scheduler.runNow('slow');
    expect(scheduler.isRunning('slow')).toBe(true);
    await expect(scheduler.runNow('slow')).resolves.toBe(false);
    gate.resolve();
    await expect(first).resolves.toBe(true);
    expect(runs).toBe(1);
    expect(scheduler.stats().slow).toMatchObject({ runs: 1, skipped: 1, failures: 0 });
    await expect(scheduler.runNow('slow')).resolves.toBe(true);
  });

  it('should log and count a failing run and keep the job', async () => {
    scheduler = new JobScheduler({ logger: silentLogger(), timezone: 'Europe/Moscow' });
    let fail = true;
    scheduler.register({
      name: 'flaky',
      schedule: '*/5 * * * *',
      task: () => {
        if (fail) throw new Error('boom');
      },
    });
    await expect(scheduler.runNow('flaky')).resolves.toBe(true);
    fail = false;
    await scheduler.runNow('flaky');
    expect(scheduler.stats().flaky).toMatchObject({ runs: 1, failures: 1, lastError: null });
  });

  it('should stop schedules, signal running tasks and wait for them on stop', async () => {
    const gate = deferred();
    let sawAbort = false;
    let finished = false;
    scheduler = new JobScheduler({ logger: silentLogger(), timezone: 'Europe/Moscow' });
    scheduler.register({
      name: 'long',
      schedule: '*/10 * * * *',
      task: async (signal) => {
        signal.addEventListener('abort', () => (sawAbort = true));
        await gate.promise;
        finished = true;
      },
    });
    scheduler.start();
    expect(scheduler.nextRuns('long', 1)).toHaveLength(1);
    const run = scheduler.runNow('long');
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(sawAbort).toBe(true);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    await run;
    await expect(scheduler.runNow('long')).resolves.toBe(false);
  });

  it('should refuse a duplicate name or a bad schedule at registration', () => {
    scheduler = new JobScheduler({ logger: silentLogger(), timezone: 'Europe/Moscow' });
    scheduler.register({ name: 'a', schedule: '* * * * *', task: () => undefined });
    expect(() => scheduler!.register({ name: 'a', schedule: '* * * * *', task: () => undefined })).toThrow(/twice/);
    expect(() => scheduler!.register({ name: 'b', schedule: 'nope', task: () => undefined })).toThrow(ConfigError);
  });
});
