import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../../../src/outbox/concurrency-gate.js';

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

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('should run at most `limit` jobs at once and start the rest in arrival order', async () => {
    const log: string[] = [];
    const gate = new ConcurrencyGate(2);
    const jobs = ['a', 'b', 'c', 'd'].map((name) => held(log, name));
    const results = jobs.map((j) => gate.run(j.job));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect(gate.active).toBe(2);
    jobs[1]!.release();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    jobs[0]!.release();
    jobs[2]!.release();
    jobs[3]!.release();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.active).toBe(0);
  });

  it('should free the slot of a job that fails and pass the error on', async () => {
    const log: string[] = [];
    const gate = new ConcurrencyGate(1);
    const first = held(log, 'first');
    const second = held(log, 'second');
    const a = gate.run(first.job);
    const b = gate.run(second.job);
    first.fail();
    await expect(a).rejects.toThrow('first failed');
    await settle();
    expect(log).toEqual(['start first', 'start second']);
    second.release();
    await expect(b).resolves.toBe('second');
    expect(gate.active).toBe(0);
  });

  it('should refuse a limit below one', () => {
    expect(() => new ConcurrencyGate(0)).toThrow(/≥ 1/);
  });
});
