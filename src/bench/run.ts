/**
 * `npm run bench`: every figure of issues 2 and 6 against the emulator on 127.0.0.1, in one run,
 * each with its target and a baseline measured in the same run. Prints a table and writes
 * bench-results/bench-<timestamp>.json and bench-results/latest.json.
 *
 *   npm run bench                        # default sizes (a few minutes)
 *   npm run bench -- --quick             # small sizes, seconds: proves it works, not the numbers
 *   npm run bench -- --messages 1000000  # messages of the memory run (default 1,000,000; quick 20,000)
 *   npm run bench -- --only vk,detector  # a subset: vk, detector, pipeline, latency, burst, memory, console
 *   npm run bench -- --only console --incidents 200000  # the web console with that many incidents (default 200,000)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gazetteerOf, loadDetector } from '../detector-loader.js';
import { Emulator } from '../emulator/emulator.js';
import { measureAckLatency } from './ack-latency.js';
import { benchConfig, buildBenchWorld } from './bench-world.js';
import { measureBurst } from './burst.js';
import { measureConsole } from './console-bench.js';
import { measureDetectorThroughput } from './detector-throughput.js';
import type { Figure } from './figure.js';
import { measureMaxAckLatency } from './max-ack-latency.js';
import { measureMemory } from './memory.js';
import { measurePipelineThroughput } from './pipeline-throughput.js';
import { formatTable } from './table.js';
import { measureVkEconomy } from './vk-economy.js';

const SECTIONS = ['vk', 'detector', 'pipeline', 'latency', 'burst', 'memory', 'console'] as const;
type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  /** With `quick`: smaller still, for the test that proves every section runs (`npm test`); not on the command line. */
  smoke?: boolean;
  /** Messages of the memory run. */
  messages: number;
  /** Incidents in the console's database (default 200,000; quick 20,000). */
  incidents?: number;
  only: Section[];
  /** Where the JSON goes; default ./bench-results. */
  outDir: string;
  out: NodeJS.WritableStream;
}

export interface BenchRun {
  startedAt: string;
  quick: boolean;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  figures: Figure[];
  /** Sections that threw, with the error: the others' figures are kept. */
  failed: { section: Section; error: string }[];
  seconds: number;
}

export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const started = Date.now();
  const tmpDir = mkdtempSync(join(tmpdir(), 'otklik-bench-'));
  const figures: Figure[] = [];
  const failed: BenchRun['failed'] = [];
  const q = options.quick;
  // A section that throws (a timeout of the 1,000,000-message run, say) is reported and the run
  // goes on: one failure must not throw away the figures of half an hour.
  const step = async (section: Section, fn: () => Promise<Figure[]> | Figure[]) => {
    if (!options.only.includes(section)) return;
    const t = Date.now();
    options.out.write(`… ${section}\n`);
    try {
      figures.push(...(await fn()));
      options.out.write(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ section, error: message });
      options.out.write(`  FAILED after ${((Date.now() - t) / 1000).toFixed(1)} s: ${message}\n`);
    }
  };
  try {
    const smoke = q && options.smoke === true;
    await step('vk', () => measureVkEconomy({ tmpDir, largeCommunities: smoke ? 100 : q ? 300 : 2000, activeShare: 0.02, cycles: q ? 1 : 3 }));
    await step('detector', () => detectorFigures(tmpDir, smoke ? 1_000 : q ? 5_000 : 50_000, smoke ? 100 : 2_000));
    await step('pipeline', () => measurePipelineThroughput({ tmpDir, messages: smoke ? 150 : q ? 500 : 5_000, communities: smoke ? 10 : q ? 20 : 100 }));
    await step('latency', () =>
      measureAckLatency(
        smoke
          ? { tmpDir, wallSamples: 3, wallWindowS: 2, pushSamples: 4, pushGapMs: 50 }
          : q
            ? { tmpDir, wallSamples: 6, wallWindowS: 6, pushSamples: 10, pushGapMs: 100 }
            : { tmpDir, wallSamples: 40, wallWindowS: 40, pushSamples: 40, pushGapMs: 200 },
      ),
    );
    await step('latency', () => measureMaxAckLatency({ tmpDir, samples: smoke ? 4 : q ? 10 : 40, gapMs: smoke ? 20 : 100 }));
    await step('burst', () => measureBurst({ tmpDir, complaints: smoke ? 30 : q ? 100 : 500, spreadS: smoke ? 2 : 10 }));
    await step('memory', () => measureMemory({ tmpDir, messages: options.messages }));
    await step('console', () =>
      measureConsole({ tmpDir, incidents: options.incidents ?? (smoke ? 2_000 : q ? 20_000 : 200_000), samples: smoke ? 4 : 30, bulk: smoke ? 20 : 500 }),
    );
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const run: BenchRun = {
    startedAt: new Date(started).toISOString(),
    quick: options.quick,
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: process.platform },
    figures,
    failed,
    seconds: (Date.now() - started) / 1000,
  };
  options.out.write(`\n${formatTable(figures)}\n`);
  for (const f of failed) options.out.write(`\nsection ${f.section} FAILED: ${f.error}\n`);
  mkdirSync(options.outDir, { recursive: true });
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const stamped = join(options.outDir, `bench-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(stamped, json);
  writeFileSync(join(options.outDir, 'latest.json'), json);
  options.out.write(`\nwritten: ${stamped} (and latest.json), ${run.seconds.toFixed(0)} s in all\n`);
  return run;
}

/** The detector config/ loads (the same call App makes), fed the bench world's config. */
async function detectorFigures(tmpDir: string, messages: number, minMs: number): Promise<Figure[]> {
  const emulator = await Emulator.start();
  try {
    const config = benchConfig(buildBenchWorld(emulator, { communities: 1, postsPerCommunity: 1, dbPath: join(tmpDir, 'detector.sqlite') }));
    return measureDetectorThroughput({ config, detector: loadDetector(config.configDir, gazetteerOf(config), config.problems), messages, minMs });
  } finally {
    await emulator.close();
  }
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      messages: { type: 'string' },
      incidents: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const messages = values.messages === undefined ? (values.quick ? 20_000 : 1_000_000) : Number(values.messages);
  if (!Number.isSafeInteger(messages) || messages < 1000) throw new Error(`--messages must be a whole number ≥ 1000, got ${values.messages}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only takes ${SECTIONS.join(', ')}; unknown: ${unknown.join(', ')}`);
  const incidents = values.incidents === undefined ? undefined : Number(values.incidents);
  if (incidents !== undefined && (!Number.isSafeInteger(incidents) || incidents < 1000))
    throw new Error(`--incidents must be a whole number ≥ 1000, got ${values.incidents}`);
  return {
    quick: values.quick,
    messages,
    ...(incidents !== undefined ? { incidents } : {}),
    only: only as Section[],
    outDir: resolve(values.out),
    out: process.stdout,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  runBench(parseOptions(process.argv.slice(2))).then(
    (run) => process.exit(run.failed.length === 0 && run.figures.every((f) => f.pass !== false) ? 0 : 1),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
