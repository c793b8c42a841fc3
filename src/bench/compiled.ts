/**
 * The benchmarks that measure memory run the bot as production does, compiled (`npm run build`,
 * README → Running under systemd), in a process of their own: tsx's loader thread and compile
 * caches would be part of what is measured otherwise.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** Compile the bot into dist/ and give the path of a compiled bench script (e.g. `memory-run`). */
export async function compiledBenchScript(name: string): Promise<string> {
  await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(REPO_ROOT, 'tsconfig.build.json')], { maxBuffer: 16 * 2 ** 20 });
  return join(REPO_ROOT, 'dist/bench', `${name}.js`);
}
