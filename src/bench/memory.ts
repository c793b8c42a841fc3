/**
 * Figure: memory. RSS of a separate process after N messages through the pipeline, and its growth
 * over the second half of the run (see memory-run.ts for exactly what runs).
 */
import { join } from 'node:path';
import { compiledBenchScript, run } from './compiled.js';
import type { Figure } from './figure.js';

export interface MemoryOptions {
  tmpDir: string;
  messages: number;
}

interface MemoryReport {
  messages: number;
  incidents: number;
  delivered: number;
  seconds: number;
  samples: { messages: number; rssMb: number; heapMb: number }[];
}

/** Largest growth of RSS over the second half that still counts as flat. */
const FLAT_MB = 20;
/**
 * The V8 old-space cap of the measured process. The live heap stays ~40 MB; without a cap V8 lets
 * garbage pile up to ~250 MB RSS before collecting. Run the bot with the same NODE_OPTIONS.
 */
export const MEMORY_RUN_HEAP_MB = 128;

export async function measureMemory(options: MemoryOptions): Promise<Figure[]> {
  const script = await compiledBenchScript('memory-run');
  const { stdout } = await run(
    process.execPath,
    [`--max-old-space-size=${MEMORY_RUN_HEAP_MB}`, script, String(options.messages), join(options.tmpDir, 'memory.sqlite')],
    {
      maxBuffer: 16 * 2 ** 20,
      // 1,000,000 messages take 30–40 minutes on a 2-core machine.
      timeout: 120 * 60_000,
    },
  );
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as MemoryReport;
  const last = report.samples[report.samples.length - 1]!;
  const half = report.samples.find((s) => s.messages >= report.messages / 2) ?? report.samples[0]!;
  const growth = last.rssMb - half.rssMb;
  const rate = report.messages / report.seconds;
  const curve = report.samples.map((s) => `${Math.round(s.messages / 1000)}k:${s.rssMb.toFixed(0)}`).join(' ');
  return [
    {
      id: 'memory.rssMb',
      name: `RSS after ${report.messages.toLocaleString('en')} messages through the pipeline`,
      value: last.rssMb,
      unit: 'MB',
      target: '≤ 200 MB',
      baselineName: `RSS at ${half.messages.toLocaleString('en')} messages`,
      baseline: half.rssMb,
      ratio: last.rssMb / half.rssMb,
      ratioMeaning: 'end ÷ half-way',
      pass: last.rssMb <= 200,
      note:
        `node --max-old-space-size=${MEMORY_RUN_HEAP_MB} dist/bench/memory-run.js (compiled by npm run build, as in production), in-process: app.ingest.ingestBatch (500 per batch) → detector → SQLite file → outbox → delivery worker with a discarding sender; ` +
        `${report.incidents} incidents, ${report.delivered} deliveries, ${rate.toFixed(0)} msg/s; RSS MB by messages: ${curve}`,
    },
    {
      id: 'memory.secondHalfGrowthMb',
      name: 'RSS growth over the second half',
      value: growth,
      unit: 'MB',
      target: `flat (≤ ${FLAT_MB} MB)`,
      baselineName: 'RSS at half-way',
      baseline: half.rssMb,
      ratio: growth / half.rssMb,
      ratioMeaning: 'growth ÷ half-way RSS',
      pass: growth <= FLAT_MB,
      note: `heap ${half.heapMb.toFixed(0)} → ${last.heapMb.toFixed(0)} MB over the same span`,
    },
  ];
}
