/**
 * `npm run bench -- --quick` works end to end: every figure is produced with its target and
 * baseline, the table is printed and both JSON files are written. The values are not asserted:
 * speed is measured by the bench itself, never by a test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type BenchRun, runBench } from '../../../src/bench/run.js';

const EXPECTED = [
  'vk.requestsPerCycle',
  'vk.communitiesPerToken',
  'detector.messagesPerSecond',
  'pipeline.messagesPerSecond',
  'pipeline.complaintsPerSecond',
  'pipeline.recordedPerSecond',
  'latency.wallPolling',
  'latency.longPoll',
  'latency.max.webhook',
  'latency.max.longpoll',
  'burst.moderatorsSeeAll',
  'memory.rssMb',
  'memory.secondHalfGrowthMb',
];

let outDir: string;

afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('should produce every figure with a target and a baseline, print the table and write the JSON', async () => {
    outDir = mkdtempSync(join(tmpdir(), 'otklik-bench-test-'));
    let printed = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed += chunk.toString('utf8');
        done();
      },
    });
    const run = await runBench({ quick: true, smoke: true, messages: 1000, only: ['vk', 'detector', 'pipeline', 'latency', 'burst', 'memory'], outDir, out });

    expect(run.failed).toEqual([]);
    expect(run.figures.map((f) => f.id)).toEqual(EXPECTED);
    for (const figure of run.figures) {
      expect(Number.isFinite(figure.value), figure.id).toBe(true);
      expect(figure.target, figure.id).not.toBe('');
      expect(figure.baselineName, figure.id).not.toBe('');
      expect(figure.note.length, figure.id).toBeGreaterThan(20);
      expect(printed).toContain(figure.name);
    }
    expect(printed).toMatch(/figure\s+\| value\s+\| target/);
    const latest = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as BenchRun;
    expect(latest.figures.map((f) => f.id)).toEqual(EXPECTED);
    expect(existsSync(join(outDir, `bench-${run.startedAt.replace(/[:.]/g, '-')}.json`))).toBe(true);
  }, 300_000);
});
