import type { Config } from '../config.js';
import { type DeadlineFunction, SlaPolicy } from '../domain/sla.js';
import { WorkingCalendar } from '../domain/working-calendar.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import { DeadlineJob } from './deadline-job.js';
import { DigestJob } from './digest-job.js';
import { RetentionJob } from './retention-job.js';
import { JobScheduler, type JobTask } from './scheduler.js';
import { SpikeJob } from './spike-job.js';

export interface ScheduledJobsDeps {
  stores: Stores;
  config: Config;
  clock: () => number;
  logger: Logger;
  /** The scheduler to register on (the composition root builds it first, for /metrics); default: a new one. */
  scheduler?: JobScheduler;
  /** The SLA of this config; default: `slaPolicyFrom(config)`. */
  policy?: SlaPolicy;
  /** Jobs owned elsewhere that run on config.schedules too: VK polling and outbox delivery. */
  vkPoll?: JobTask;
  outbox?: JobTask;
  /** Fetching citizens' files (MediaJob), when media.download is on. */
  media?: JobTask;
  /** Called after a job may have queued messages (reminders, alerts, the digest), so they go out now, not at the next outbox tick. */
  onOutboxChanged?: () => void;
}

export interface ScheduledJobs {
  scheduler: JobScheduler;
  /** The SLA for this config; `policy.deadlineFunction` is IncidentService's `deadlines`. */
  policy: SlaPolicy;
  deadlines: DeadlineFunction;
  deadlineJob: DeadlineJob;
  spikeJob: SpikeJob;
  digestJob: DigestJob;
  retentionJob: RetentionJob;
}

/** The SLA policy of a config: its rules over its working calendar in the region's zone. */
export function slaPolicyFrom(config: Pick<Config, 'sla' | 'workingCalendar' | 'region'>): SlaPolicy {
  return new SlaPolicy(config.sla, new WorkingCalendar({ timezone: config.region.timezone, ...config.workingCalendar }));
}

/** The one scheduler of an app, in the region's time zone (no task registered yet). */
export function createJobScheduler(config: Pick<Config, 'region'>, logger: Logger, clock: () => number): JobScheduler {
  return new JobScheduler({ logger: logger.child({ module: 'jobs' }), timezone: config.region.timezone, clock });
}

/**
 * Build every scheduled job from config and register it on one scheduler (not started): the
 * composition root calls `scheduler.start()` after the channels are up and `await
 * scheduler.stop()` on SIGTERM/SIGINT before closing the database.
 */
export function createScheduledJobs(deps: ScheduledJobsDeps): ScheduledJobs {
  const { stores, config, clock, logger } = deps;
  const policy = deps.policy ?? slaPolicyFrom(config);
  const scheduler = deps.scheduler ?? createJobScheduler(config, logger, clock);
  const jobLogger = (name: string) => logger.child({ job: name });
  const deadlineJob = new DeadlineJob({ stores, config, clock, policy, logger: jobLogger('deadlines') });
  const spikeJob = new SpikeJob({ stores, config, clock, logger: jobLogger('spikes') });
  const digestJob = new DigestJob({ stores, config, clock, logger: jobLogger('digest') });
  const retentionJob = new RetentionJob({ stores, config, clock, logger: jobLogger('retention') });
  const s = config.schedules;
  if (deps.vkPoll) scheduler.register({ name: 'vk-poll', schedule: s.vkPoll, task: deps.vkPoll });
  if (deps.outbox) scheduler.register({ name: 'outbox', schedule: s.outbox, task: deps.outbox });
  if (deps.media) scheduler.register({ name: 'media', schedule: s.media, task: deps.media });
  const queued = () => deps.onOutboxChanged?.();
  scheduler
    .register({ name: 'deadlines', schedule: s.deadlines, task: () => void (deadlineJob.run(), queued()) })
    .register({ name: 'spikes', schedule: s.spikes, task: () => void (spikeJob.run(), queued()) })
    .register({ name: 'digest', schedule: s.digest, task: () => void (digestJob.run(), queued()) })
    .register({ name: 'retention', schedule: s.retention, task: async () => void (await retentionJob.run()) });
  return { scheduler, policy, deadlines: policy.deadlineFunction, deadlineJob, spikeJob, digestJob, retentionJob };
}
