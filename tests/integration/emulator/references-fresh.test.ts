import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReferences, DEFAULT_SHARED_DIR, FIXTURE_DIR } from '../../tools/snapshot-references.js';

const sharedPresent =
  existsSync(join(DEFAULT_SHARED_DIR, 'vk-api-schema')) &&
  existsSync(join(DEFAULT_SHARED_DIR, 'telegram-bot-api-spec')) &&
  existsSync(join(DEFAULT_SHARED_DIR, 'max-bot-api-schema'));

describe('extracted references', () => {
  it('should hold every fixture with its licence note', () => {
    for (const [name, licence] of [
      ['vk.json', /MIT License/],
      ['telegram.json', /MIT License/],
      ['max.json', /Apache License 2\.0/],
    ] as const) {
      const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as { licence?: string };
      expect(fixture.licence, name).toMatch(licence);
    }
    const notes = readFileSync(join(FIXTURE_DIR, 'LICENSES.md'), 'utf8');
    expect(notes).toMatch(/Permission is hereby granted/);
    expect(notes).toMatch(/Licensed under the Apache License, Version 2\.0/);
  });

  // Runs only where ../shared is checked out; a fresh clone relies on the committed fixtures.
  it.runIf(sharedPresent)('should match what snapshot-references extracts from ../shared today', () => {
    const { vk, telegram, max } = buildReferences(DEFAULT_SHARED_DIR);
    expect(JSON.parse(readFileSync(join(FIXTURE_DIR, 'vk.json'), 'utf8'))).toEqual(vk);
    expect(JSON.parse(readFileSync(join(FIXTURE_DIR, 'telegram.json'), 'utf8'))).toEqual(telegram);
    expect(JSON.parse(readFileSync(join(FIXTURE_DIR, 'max.json'), 'utf8'))).toEqual(max);
  });
});
