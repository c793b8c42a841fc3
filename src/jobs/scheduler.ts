import cron, { type ScheduledTask } from 'node-cron';
import { ConfigError, describeCause } from '../errors.js';
import type { Logger } from '../logger.js';
import { validateSchedule } from '../schedules.js';

/**
 * A job body. It gets an AbortSignal that fires when the scheduler stops: long jobs check it
 * between steps and return early; short ones may ignore it and simply finish.
 */
export type JobTask = (signal: AbortSignal) => Promise<void> | void;

export interface JobDefinition {
  /** Stable name for logs and metrics: 'deadlines', 'spikes', 'vk-poll', … */
  name: string;
  /** node-cron expression (5 fields, or 6 with seconds first). */
  schedule: string;
  task: JobTask;
}

export interface JobStats {
  runs: number;
  failures: number;
  /** Runs skipped because the previous one was still going. */
  skipped: number;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastError: string | null;
}

export interface SchedulerDeps {
  logger: Logger;
  /** IANA zone the cron expressions are read in (config.region.timezone). */
  timezone: string;
  /** Wall clock for stats; tests pass a ManualClock. */
  clock?: () => number;
}

/**
 * Runs named jobs on node-cron schedules in the region's time zone.
 *
 * Guarantees: a job never overlaps itself (a tick that finds the previous run still going is
 * skipped and counted); a failing run is logged and never stops the schedule; `stop()` stops all
 * schedules, aborts the signal given to running tasks and resolves when every run in flight has
 * finished. The app registers VK polling and outbox delivery on the same runner.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, { def: JobDefinition; task: ScheduledTask | null; running: Promise<void> | null; stats: JobStats }>();
  private readonly abort = new AbortController();
  private started = false;
  private stopping: Promise<void> | null = null;
  private readonly clock: () => number;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Add a job. Validates its schedule at once; names are unique. */
  register(def: JobDefinition): this {
    if (this.jobs.has(def.name)) throw new ConfigError(`job "${def.name}" is registered twice`);
    validateSchedule(def.name, def.schedule);
    this.jobs.set(def.name, {
      def,
      task: null,
      running: null,
      stats: { runs: 0, failures: 0, skipped: 0, lastStartedAt: null, lastFinishedAt: null, lastError: null },
    });
    if (this.started) this.startOne(def.name);
    return this;
  }

  /** Start every registered schedule (and any registered later). */
  start(): void {
    if (this.stopping) throw new Error('the scheduler was stopped; make a new one');
    this.started = true;
    for (const name of this.jobs.keys()) this.startOne(name);
  }

  private startOne(name: string): void {
    const job = this.jobs.get(name)!;
    // noOverlap in node-cron and our own `running` guard: node-cron's covers scheduled ticks,
    // ours also covers runNow() racing a tick.
    const log = this.deps.logger.child({ job: name, source: 'node-cron' });
    job.task = cron.createTask(job.def.schedule, () => this.runNow(name), {
      name,
      timezone: this.deps.timezone,
      noOverlap: true,
      // node-cron's own warnings (missed ticks while the event loop was busy) go to our log, not the console.
      logger: {
        info: (message) => log.debug(message),
        warn: (message) => log.warn(message),
        error: (message, err) => log.error({ err: err ?? message }, typeof message === 'string' ? message : 'node-cron error'),
        debug: (message) => log.debug({ detail: String(message) }, 'node-cron'),
      },
    });
    void job.task.start();
    this.deps.logger.info({ job: name, schedule: job.def.schedule, timezone: this.deps.timezone }, 'job scheduled');
  }

  /**
   * Run a job now, unless it is already running. Resolves when this run (or the running one) ends;
   * resolves `false` when the run was skipped. Never rejects: failures are logged and counted.
   */
  async runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named "${name}"`);
    if (this.stopping) return false;
    if (job.running) {
      job.stats.skipped += 1;
      this.deps.logger.warn({ job: name }, 'job still running; this tick is skipped');
      return false;
    }
    const log = this.deps.logger.child({ job: name });
    job.stats.lastStartedAt = this.clock();
    const run = (async () => {
      try {
        await job.def.task(this.abort.signal);
        job.stats.runs += 1;
        job.stats.lastError = null;
      } catch (cause) {
        job.stats.failures += 1;
        job.stats.lastError = describeCause(cause);
        log.error({ err: cause }, 'job failed');
      } finally {
        job.stats.lastFinishedAt = this.clock();
      }
    })();
    job.running = run;
    try {
      await run;
    } finally {
      job.running = null;
    }
    return true;
  }

  /** Whether a job is running right now. */
  isRunning(name: string): boolean {
    return this.jobs.get(name)?.running != null;
  }

  stats(): Record<string, JobStats> {
    return Object.fromEntries([...this.jobs].map(([name, job]) => [name, { ...job.stats }]));
  }

  /** The next `count` run times of a job, for health output. */
  nextRuns(name: string, count = 1): Date[] {
    return this.jobs.get(name)?.task?.getNextRuns(count) ?? [];
  }

  /**
   * Stop every schedule, signal running tasks, and wait for them to finish. Idempotent. With
   * `timeoutMs`, resolves after that long even if a task ignores the signal (logged).
   */
  stop(timeoutMs?: number): Promise<void> {
    this.stopping ??= (async () => {
      for (const job of this.jobs.values()) {
        await job.task?.stop();
        await job.task?.destroy();
      }
      this.abort.abort();
      const inFlight = [...this.jobs.values()].flatMap((job) => (job.running ? [job.running] : []));
      if (inFlight.length > 0) this.deps.logger.info({ jobs: inFlight.length }, 'waiting for running jobs to finish');
      const all = Promise.allSettled(inFlight).then(() => undefined);
      if (timeoutMs === undefined) return all;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.deps.logger.warn({ timeoutMs }, 'jobs did not finish in time; stopping anyway');
          resolve();
        }, timeoutMs);
      });
      await Promise.race([all, timeout]);
      clearTimeout(timer);
    })();
    return this.stopping;
  }
}
