import { describe, expect, it } from 'vitest';
import { createScheduledJobs } from '../../../src/jobs/register-jobs.js';
import { silentLogger } from '../../../src/logger.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident } from './seed.js';

describe('createScheduledJobs', () => {
  it('should register every scheduled job on config.schedules and run each through the scheduler', async () => {
    const db = jobsDb();
    const config = testConfig();
    const clock = new ManualClock(msk('2026-11-23T09:00:00'));
    let polls = 0;
    const jobs = createScheduledJobs({
      stores: createStores(db),
      config,
      clock: clock.now,
      logger: silentLogger(),
      vkPoll: () => void (polls += 1),
      outbox: () => undefined,
    });
    const createdAt = msk('2026-11-23T09:00:00');
    seedIncident(db, { createdAt, topic: 'roads', ...jobs.deadlines({ topic: 'roads', urgency: 'normal', createdAt }) });
    clock.current = msk('2026-11-23T12:05:00');
    for (const name of ['vk-poll', 'outbox', 'deadlines', 'spikes', 'retention']) await expect(jobs.scheduler.runNow(name)).resolves.toBe(true);
    expect(polls).toBe(1);
    expect(outboxRows(db, 'reminder')).toHaveLength(1);
    expect(Object.keys(jobs.scheduler.stats())).toEqual(['vk-poll', 'outbox', 'deadlines', 'spikes', 'digest', 'retention']);
    expect(Object.values(jobs.scheduler.stats()).every((s) => s.failures === 0)).toBe(true);
    await jobs.scheduler.stop();
  });
});
