import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARED_DIR, FIXTURE_DIR, buildReferences } from '../../tools/snapshot-references.js';

const sharedPresent = existsSync(join(DEFAULT_SHARED_DIR, 'vk-api-schema')) && existsSync(join(DEFAULT_SHARED_DIR, 'telegram-bot-api-spec'));

describe('extracted references', () => {
  it('should hold both fixtures with their licence notes', () => {
    for (const name of ['vk.json', 'telegram.json']) {
      const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as { licence?: string };
      expect(fixture.licence, name).toMatch(/MIT License/);
    }
    expect(readFileSync(join(FIXTURE_DIR, 'LICENSES.md'), 'utf8')).toMatch(/Permission is hereby granted/);
  });

  // Runs only where ../shared is checked out; a fresh clone relies on the committed fixtures.
  it.runIf(sharedPresent)('should match what snapshot-references extracts from ../shared today', () => {
    const { vk, telegram } = buildReferences(DEFAULT_SHARED_DIR);
    expect(JSON.parse(readFileSync(join(FIXTURE_DIR, 'vk.json'), 'utf8'))).toEqual(vk);
    expect(JSON.parse(readFileSync(join(FIXTURE_DIR, 'telegram.json'), 'utf8'))).toEqual(telegram);
  });
});
