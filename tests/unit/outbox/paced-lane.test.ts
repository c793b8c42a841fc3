import { afterEach, describe, expect, it, vi } from 'vitest';
import { LaneStoppedError, PacedLane } from '../../../src/outbox/paced-lane.js';
import { PacedLaneGroup } from '../../../src/outbox/paced-lane-group.js';

/** A job that runs until released: an explicit barrier instead of a sleep. */
function held(log: string[], name: string): { job: () => Promise<string>; release: () => void; fail: () => void } {
  let release!: () => void;
  let fail!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = () => reject(new Error(`${name} failed`));
  });
  return {
    job: async () => {
      log.push(`start ${name}`);
      await done;
      return name;
    },
    release,
    fail,
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

afterEach(() => {
  vi.useRealTimers();
});

describe('PacedLane', () => {
  it('should run at most `concurrency` jobs at once, start a free slot in the same tick, and the rest in arrival order', async () => {
    const log: string[] = [];
    const lane = new PacedLane({ concurrency: 2 });
    const jobs = ['a', 'b', 'c', 'd'].map((name) => held(log, name));
    const results = jobs.map((j) => lane.schedule(j.job));
    expect(log).toEqual(['start a', 'start b']);
    jobs[1]!.release();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    jobs[0]!.release();
    jobs[2]!.release();
    jobs[3]!.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(lane.isIdle()).toBe(true);
  });

  it('should free the slot of a job that fails and pass the error on', async () => {
    const log: string[] = [];
    const lane = new PacedLane();
    const first = held(log, 'first');
    const second = held(log, 'second');
    const a = lane.schedule(first.job);
    const b = lane.schedule(second.job);
    first.fail();
    await expect(a).rejects.toThrow('first failed');
    await settle();
    expect(log).toEqual(['start first', 'start second']);
    second.release();
    await expect(b).resolves.toBe('second');
  });

  it('should keep `minIntervalMs` between starts', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const lane = new PacedLane({ minIntervalMs: 1000 });
    const results = ['a', 'b'].map((name) => lane.schedule(async () => void log.push(`${name}@${Date.now() % 100_000}`)));
    await settle();
    expect(log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(results);
    expect(log).toHaveLength(2);
  });

  it('should start at most `count` jobs in any sliding window', async () => {
    vi.useFakeTimers();
    let started = 0;
    const lane = new PacedLane({ window: { count: 3, windowMs: 60_000 } });
    const results = Array.from({ length: 5 }, () => lane.schedule(async () => void (started += 1)));
    await settle();
    expect(started).toBe(3);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(started).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(results);
    expect(started).toBe(5);
    // Two more would meet the window again: the lane still has pacing to remember.
    await lane.schedule(async () => void (started += 1));
    expect(lane.isIdle()).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lane.isIdle()).toBe(true);
  });

  it('should start a waiting job of higher priority first, arrival order within one priority', async () => {
    const log: string[] = [];
    const lane = new PacedLane();
    const first = held(log, 'first');
    const done = [
      lane.schedule(first.job),
      ...['card 1', 'card 2'].map((name) => lane.schedule(async () => void log.push(name))),
      lane.schedule(async () => void log.push('reply'), 4),
      lane.schedule(async () => void log.push('summary'), 3),
    ];
    first.release();
    await Promise.all(done);
    expect(log).toEqual(['start first', 'reply', 'summary', 'card 1', 'card 2']);
  });

  it('should keep the reserved slots of a window for jobs of high priority, at once even while a low one waits', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const lane = new PacedLane({ window: { count: 4, windowMs: 60_000 }, reserve: { slots: 2, minPriority: 2 } });
    const cards = Array.from({ length: 3 }, (_, i) => lane.schedule(async () => void log.push(`card ${i + 1}`)));
    await settle();
    // Two of the four starts are kept back: the third card waits for the window.
    expect(log).toEqual(['card 1', 'card 2']);
    const summary = lane.schedule(async () => void log.push('summary'), 3);
    await settle();
    expect(log).toEqual(['card 1', 'card 2', 'summary']);
    await summary;
    await vi.advanceTimersByTimeAsync(59_999);
    expect(log).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(cards);
    expect(log).toEqual(['card 1', 'card 2', 'summary', 'card 3']);
  });

  it('should spread low jobs over the window only after a high one started in it', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const lane = new PacedLane({ window: { count: 20, windowMs: 60_000 }, reserve: { slots: 2, minPriority: 2 }, lowPriorityIntervalMs: 6_000 });
    // No summary yet: cards go at once.
    await Promise.all([1, 2].map((i) => lane.schedule(async () => void log.push(`card ${i}`))));
    expect(log).toEqual(['card 1', 'card 2']);
    await lane.schedule(async () => void log.push('summary'), 3);
    const later = [3, 4].map((i) => lane.schedule(async () => void log.push(`card ${i}`)));
    await settle();
    expect(log).toEqual(['card 1', 'card 2', 'summary']);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(log.at(-1)).toBe('card 3');
    // A summary's edit still starts at once between the spread cards.
    await lane.schedule(async () => void log.push('edit'), 3);
    expect(log.at(-1)).toBe('edit');
    await vi.advanceTimersByTimeAsync(6_000);
    await Promise.all(later);
    expect(log).toEqual(['card 1', 'card 2', 'summary', 'card 3', 'edit', 'card 4']);
    // A minute after the last summary, cards go at once again.
    await vi.advanceTimersByTimeAsync(60_000);
    await lane.schedule(async () => void log.push('card 5'));
    await lane.schedule(async () => void log.push('card 6'));
    expect(log.slice(-2)).toEqual(['card 5', 'card 6']);
  });

  it('should let running jobs finish on stop() and reject the waiting and later ones unstarted', async () => {
    const log: string[] = [];
    const lane = new PacedLane();
    const running = held(log, 'running');
    const waiting = held(log, 'waiting');
    const a = lane.schedule(running.job);
    const b = lane.schedule(waiting.job);
    const stopped = lane.stop();
    await expect(b).rejects.toBeInstanceOf(LaneStoppedError);
    await expect(lane.schedule(async () => 'late')).rejects.toBeInstanceOf(LaneStoppedError);
    running.release();
    await stopped;
    await expect(a).resolves.toBe('running');
    expect(log).toEqual(['start running']);
  });

  it('should refuse a concurrency below one', () => {
    expect(() => new PacedLane({ concurrency: 0 })).toThrow(/≥ 1/);
  });
});

describe('PacedLaneGroup', () => {
  it('should give each key its own lane and forget idle ones', async () => {
    const group = new PacedLaneGroup({});
    expect(group.key('1')).toBe(group.key('1'));
    expect(group.key('1')).not.toBe(group.key('2'));
    for (let i = 0; i < 1000; i += 1) await group.key(`chat ${i}`).schedule(async () => i);
    // The 1,000th lookup swept the finished lanes.
    expect(group.size).toBeLessThan(10);
  });
});
