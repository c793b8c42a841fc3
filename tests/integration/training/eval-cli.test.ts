import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
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
    const { stdout, stderr } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/training/eval.ts', file, '--throughput-ms', '50'], {
      cwd: REPO_ROOT,
    });
    expect(stderr).toContain('skipped 1 lines');
    expect(stdout).toContain('evaluating 6');
    expect(stdout).toMatch(/appeal \(reply or review\): precision 1\.000 {2}recall 1\.000 {2}F1 1\.000/);
    expect(stdout).toMatch(/complaint\s+3\s+0\s+0/);
    expect(stdout).toMatch(/not_complaint\s+0\s+0\s+3/);
    expect(stdout).toMatch(/Topics on 3 labelled complaints: accuracy 1\.000/);
    expect(stdout).toMatch(/Throughput: \d+ messages\/s/);
  }, 60_000);

  it.each([
    [[], 'a labelled JSONL file is needed'],
    [['no-such-file.jsonl'], 'no such file: no-such-file.jsonl'],
    [['package.json', '--split', 'tests'], '--split must be one of'],
    [['package.json', '--throughput-ms', ''], '--throughput-ms takes a whole number ≥ 0, got ""'],
    [['package.json', '--worst', 'many'], '--worst takes a whole number ≥ 0, got "many"'],
    [['package.json', 'package.json'], 'a file is given twice'],
  ])(
    'should refuse %j with the usage and exit code 2',
    async (args, message) => {
      await expect(run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/training/eval.ts', ...args], { cwd: REPO_ROOT })).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(new RegExp(`${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^]*usage: npm run eval`)),
      });
    },
    60_000,
  );

  it('should report each file and all together, and score problems of rows labelled with a centre fine topic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-eval-files-'));
    const first = join(dir, 'first.jsonl');
    const second = join(dir, 'second.jsonl');
    writeFileSync(
      first,
      rows
        .slice(0, 3)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const centre = [
      {
        id: 'c-1',
        text: 'Нет горячей воды уже неделю в доме на Ленина',
        label: 'complaint',
        topic: 'housing',
        orig_label: { topic: '★ Отсутствие горячей воды' },
      },
      { id: 'c-2', text: 'Огромная яма на дороге у остановки', label: 'complaint', topic: 'roads', problem_label: 'Ямы и выбоины на дороге' },
      { id: 'c-3', text: 'Спасибо, всё сделали', label: 'not_complaint' },
    ];
    writeFileSync(second, centre.map((r) => JSON.stringify(r)).join('\n'));
    const { stdout } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/training/eval.ts', first, second, '--throughput-ms', '0'], {
      cwd: REPO_ROOT,
    });
    expect(stdout).toContain('######## first.jsonl: 3 rows');
    expect(stdout).toContain('######## second.jsonl: 3 rows');
    expect(stdout).toContain('######## all 2 files: 6 rows');
    expect(stdout).toMatch(/== Problems on 2 complaints with a problem label: accuracy \d\.\d{3}/);
  }, 60_000);

  it('should score with a config folder that holds detector.json alone, and skip throughput at --throughput-ms 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-eval-config-'));
    copyFileSync(join(REPO_ROOT, 'config', 'detector.json'), join(dir, 'detector.json'));
    const file = join(dir, 'own.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { stdout } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/training/eval.ts', file, '--config', dir, '--throughput-ms', '0'], {
      cwd: REPO_ROOT,
    });
    expect(stdout).toContain('evaluating 6');
    expect(stdout).not.toContain('Throughput');
  }, 60_000);

  it('should say which file is broken, without a stack trace, when the detector config is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-eval-broken-'));
    writeFileSync(join(dir, 'detector.json'), '{ not json');
    await expect(
      run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/training/eval.ts', 'package.json', '--config', dir], { cwd: REPO_ROOT }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Cannot read .*detector\.json \(.*JSON.*\)\n$/),
    });
  }, 60_000);
});
