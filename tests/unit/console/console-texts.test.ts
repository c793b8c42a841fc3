import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BULK_ACTIONS } from '../../../src/console/console-pages.js';
import { loadConsoleTexts } from '../../../src/console/console-texts.js';
import { INCIDENT_ACTIONS } from '../../../src/domain/incident-status.js';
import { REPO_ROOT } from '../../helpers/index.js';

const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'config/console.json'), 'utf8')) as { ru: Record<string, string> };

describe('console texts', () => {
  it('should ship every key the console pages name, and a label for every action', () => {
    const dir = join(REPO_ROOT, 'src/console');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const named = [...source.matchAll(/\bt\('([a-z_0-9]+)'/g)].map((m) => m[1]!);
    const labels = [...source.matchAll(/label: '([a-z_0-9]+)'/g)].map((m) => m[1]!);
    const missing = [
      ...named,
      ...labels,
      ...INCIDENT_ACTIONS.map((a) => `action_${a}`),
      ...['unknown', 'expired', 'used', 'removed'].map((r) => `login_${r}`),
    ].filter((key) => !(key in shipped.ru));
    expect(missing).toEqual([]);
    for (const action of ['ask', 'interim', 'answer', 'reject', 'note']) expect(shipped.ru, action).toHaveProperty(`action_${action}_text`);
    expect(BULK_ACTIONS.every((a) => (INCIDENT_ACTIONS as readonly string[]).includes(a))).toBe(true);
  });

  it('should fill placeholders, fall back to ru for another language, and stop the start without the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-texts-'));
    try {
      writeFileSync(join(dir, 'console.json'), JSON.stringify({ ru: { hello: 'Привет, {name}', only_ru: 'да' }, ba: { hello: 'Сәләм, {name}' } }));
      const t = loadConsoleTexts(dir, 'ba');
      expect(t('hello', { name: '<b>' })).toBe('Сәләм, <b>');
      expect(t('only_ru')).toBe('да');
      expect(() => t('nope')).toThrow(/No console text "nope"/);
      expect(() => loadConsoleTexts(join(dir, 'missing'), 'ru')).toThrow(/Cannot read the console texts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
