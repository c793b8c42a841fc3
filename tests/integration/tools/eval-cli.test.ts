import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/index.js';

const run = promisify(execFile);

/** Rows written for this test (no data set needed): the CLI as a user runs it on their own file. */
const rows = [
  { id: 'own-1', text: 'Третий день нет воды на Ленина 12, примите меры!', label: 'complaint', topic: 'ЖКХ' },
  { id: 'own-2', text: 'Огромная яма на дороге у школы, машины бьют колёса', label: 'complaint', topic: 'roads' },
  { id: 'own-3', text: 'Мусор не вывозят вторую неделю, контейнеры переполнены', label: 'complaint', topic: 'waste' },
  { id: 'own-4', text: 'Спасибо за оперативную работу!', label: 'not_complaint' },
  { id: 'own-5', text: 'Всем доброе утро ☀️', label: 'not_complaint' },
  { id: 'own-6', text: 'Продаю дрова, доставка по району', label: 'not_complaint' },
];

describe('npm run eval', () => {
  it('should print complaint and topic figures, the confusion matrix and throughput for any labelled file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-eval-'));
    const file = join(dir, 'own.jsonl');
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
    const { stdout, stderr } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/tools/eval.ts', file, '--throughput-ms', '50'], { cwd: REPO_ROOT });
    expect(stderr).toContain('skipped 1 lines');
    expect(stdout).toContain('evaluating 6');
    expect(stdout).toMatch(/appeal \(reply or review\): precision 1\.000 {2}recall 1\.000 {2}F1 1\.000/);
    expect(stdout).toMatch(/complaint\s+3\s+0\s+0/);
    expect(stdout).toMatch(/not_complaint\s+0\s+0\s+3/);
    expect(stdout).toMatch(/Topics on 3 labelled complaints: accuracy 1\.000/);
    expect(stdout).toMatch(/Throughput: \d+ messages\/s/);
  }, 60_000);

  it('should explain its usage and fail without a file, with a missing file or a bad option', async () => {
    await expect(run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/tools/eval.ts'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run eval') });
    await expect(run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/tools/eval.ts', 'no-such-file.jsonl'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no such file: no-such-file.jsonl') });
    await expect(run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/tools/eval.ts', 'package.json', '--split', 'tests'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--split must be one of') });
  }, 60_000);
});
