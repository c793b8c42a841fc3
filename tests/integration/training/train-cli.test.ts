import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ProblemId } from '../../../src/domain/problem.js';
import { openDb } from '../../../src/store/db.js';
import { migrateToLatest } from '../../../src/store/migrator.js';
import { createStores } from '../../../src/store/stores.js';
import { REPO_ROOT } from '../../helpers/index.js';
import { seedMessage } from '../jobs/seed.js';

const run = promisify(execFile);
const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** A small labelled file written for this test, in threads as the portal data comes. */
function ownFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-train-'));
  const housing = ['нет воды', 'батареи холодные', 'течет крыша', 'лифт сломан'];
  const roads = ['яма на дороге', 'разбит асфальт', 'нет разметки', 'провал асфальта'];
  const rows = Array.from({ length: 40 }, (_, i) => [
    { id: `spb:${i}`, text: `${housing[i % 4]} в доме ${i}`, label: 'complaint', topic: 'housing' },
    { id: `spb-fu:${i}:0`, text: `${roads[i % 4]} у дома ${i}`, label: 'complaint', topic: 'roads' },
    { id: `vk:${i}`, text: `всем привет и хорошего дня ${i}`, label: 'not_complaint' },
  ]).flat();
  const file = join(dir, 'own.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return { dir, file };
}

describe('npm run train -- --cv', () => {
  it('should print cross-validated complaint and topic figures and write no model', async () => {
    const { dir, file } = ownFile();
    // Run from the data's own folder: a model written to the default config/complaint-model.json would fail or show up there.
    const { stdout } = await run(tsx, [join(REPO_ROOT, 'src/training/train.ts'), file, '--cv', '3', '--all', '--config', join(REPO_ROOT, 'config')], {
      cwd: dir,
    });
    expect(stdout).toContain('over 120 rows (every row), 3 folds by thread');
    expect(stdout).toMatch(/appeal \(reply or review\): precision \d\.\d{3}/);
    expect(stdout).toMatch(/Topics on 80 labelled complaints: accuracy \d\.\d{3} {2}macro-F1 \d\.\d{3} \(over the 2 topics present\)/);
    expect(readdirSync(dir)).toEqual(['own.jsonl']);
  }, 60_000);

  it.each([
    [['--all', '--cv', '1'], '--cv needs a whole number of folds from 2 to the number of threads (80), got "1"'],
    [['--all', '--cv', '1000'], 'got "1000"'],
    [['--cv', '3', '--out', 'x.json'], '--cv writes no model'],
    [['--with-valid', '--all'], '--all already trains on every row'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['second.jsonl'], 'no such file: second.jsonl'],
  ])(
    'should refuse %j with the usage and exit code 2',
    async (args, message) => {
      const { dir, file } = ownFile();
      await expect(run(tsx, [join(REPO_ROOT, 'src/training/train.ts'), file, ...args], { cwd: dir })).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(message),
      });
      expect(readdirSync(dir)).toEqual(['own.jsonl']);
    },
    60_000,
  );

  it('should refuse a missing file with the usage and exit code 2', async () => {
    await expect(run(tsx, ['src/training/train.ts', join(tmpdir(), 'no-such-file.jsonl')], { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such file'),
    });
  }, 60_000);
});

describe('npm run train -- --feedback', () => {
  it("should add the moderators' labels of a bot database to the training rows", async () => {
    const { dir, file } = ownFile();
    const dbPath = join(dir, 'bot.sqlite');
    const db = openDb(dbPath);
    migrateToLatest(db);
    const { labels } = createStores(db);
    const lift = seedMessage(db, { receivedAt: 1, text: 'В подъезде третий день стоит лифт' });
    const spam = seedMessage(db, { receivedAt: 2, text: 'Продам гараж недорого' });
    labels.record(
      { messageId: lift, incidentId: null, label: 'complaint', topic: 'housing', problem: 'lift' as ProblemId, action: 'incident', moderatorKey: 'tg:9001' },
      10,
    );
    labels.record({ messageId: spam, incidentId: null, label: 'not_complaint', topic: null, problem: null, action: 'reject', moderatorKey: 'tg:9001' }, 11);
    db.close();
    const out = join(dir, 'model.json');
    const { stdout } = await run(
      tsx,
      [join(REPO_ROOT, 'src/training/train.ts'), file, '--feedback', dbPath, '--all', '--out', out, '--config', join(REPO_ROOT, 'config')],
      { cwd: dir },
    );
    expect(stdout).toContain(`${dbPath}: 2 rows labelled by moderators`);
    expect(stdout).toContain('training on 122');
    const model = JSON.parse(readFileSync(out, 'utf8')) as { meta: { sources: string[] } };
    expect(model.meta.sources).toEqual(['own.jsonl', 'feedback (2)']);
  }, 60_000);

  it('should refuse a database that is missing or not migrated, naming what to run', async () => {
    const { dir, file } = ownFile();
    await expect(run(tsx, [join(REPO_ROOT, 'src/training/train.ts'), file, '--feedback', join(dir, 'none.sqlite')], { cwd: dir })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such database'),
    });
    const old = join(dir, 'old.sqlite');
    openDb(old).close();
    await expect(
      run(tsx, [join(REPO_ROOT, 'src/training/train.ts'), file, '--feedback', old, '--config', join(REPO_ROOT, 'config')], { cwd: dir }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('npm run migrate -- --commit'),
    });
  }, 60_000);
});
