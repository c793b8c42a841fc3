import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MigrationError } from '../../../src/errors.js';
import { openDb } from '../../../src/store/db.js';
import { applyMigrations, MIGRATIONS_DIR, migrateToLatest, planMigrations, readMigrations } from '../../../src/store/migrator.js';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'otklik-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migrator', () => {
  it('should apply the shipped migrations in order and record each once', () => {
    const db = openDb(':memory:');
    const applied = migrateToLatest(db);
    expect(applied.map((m) => m.version)).toEqual(applied.map((_, i) => i + 1));
    expect(migrateToLatest(db)).toEqual([]);
    const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(applied.map((m) => m.version));
  });

  it('should show a plan without changing the database', () => {
    const db = openDb(':memory:');
    const dir = migrationsDir({ '0001_create_things.sql': 'CREATE TABLE things (id INTEGER);' });
    const plan = planMigrations(db, readMigrations(dir));
    expect(plan.pending.map((m) => m.name)).toEqual(['create_things']);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'things'").get()).toBeUndefined();
  });

  it('should refuse a database from a newer version with a message saying what to do', () => {
    const db = openDb(':memory:');
    const dir = migrationsDir({ '0001_create_things.sql': 'CREATE TABLE things (id INTEGER);' });
    applyMigrations(db, readMigrations(dir));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'future', 0)").run();
    expect(() => planMigrations(db, readMigrations(dir))).toThrow(/newer than this build/);
  });

  it('should roll back a failing migration entirely', () => {
    const db = openDb(':memory:');
    const dir = migrationsDir({
      '0001_create_things.sql': 'CREATE TABLE things (id INTEGER);',
      '0002_break_things.sql': 'CREATE TABLE other (id INTEGER); INSERT INTO nowhere VALUES (1);',
    });
    expect(() => applyMigrations(db, readMigrations(dir))).toThrow(MigrationError);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'other'").get()).toBeUndefined();
    expect(planMigrations(db, readMigrations(dir)).current).toBe(1);
  });

  it('should refuse badly named or gapped migration files', () => {
    expect(() => readMigrations(migrationsDir({ 'create.sql': '' }))).toThrow(/NNNN_verb_object/);
    expect(() => readMigrations(migrationsDir({ '0001_a.sql': '', '0003_c.sql': '' }))).toThrow(/without gaps/);
  });

  it('should keep the audit log append-only', () => {
    const db = openDb(':memory:');
    migrateToLatest(db);
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO incident_events (incident_id, at, actor_kind, actor_id, action) VALUES (1, 0, 'system', 'system', 'created')").run();
    expect(() => db.prepare('DELETE FROM incident_events').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE incident_events SET action = 'x'").run()).toThrow(/append-only/);
  });

  it("should let retention only clear an event's details and anonymise its actor, nothing else", () => {
    const db = openDb(':memory:');
    migrateToLatest(db);
    db.pragma('foreign_keys = OFF');
    db.prepare(
      `INSERT INTO incident_events (incident_id, at, actor_kind, actor_id, action, details_json) VALUES (1, 0, 'citizen', 'vk:5', 'followup', '{"text":"Мира 5, кв. 3"}')`,
    ).run();
    db.prepare("UPDATE incident_events SET details_json = NULL, actor_id = 'anonymised'").run();
    expect(db.prepare('SELECT actor_id, details_json, action FROM incident_events').get()).toEqual({
      actor_id: 'anonymised',
      details_json: null,
      action: 'followup',
    });
    expect(() => db.prepare(`UPDATE incident_events SET details_json = '{"text":"другое"}'`).run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE incident_events SET actor_id = 'vk:6'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE incident_events SET at = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM incident_events').run()).toThrow(/append-only/);
  });

  it('should count the people who reported each existing incident when reporter_count is added', () => {
    const db = openDb(':memory:');
    const all = readMigrations(MIGRATIONS_DIR);
    const index = all.findIndex((m) => m.name === 'add_incident_reporter_count');
    applyMigrations(db, all.slice(0, index));
    db.pragma('foreign_keys = OFF');
    const incident = db.prepare(
      `INSERT INTO incidents (id, message_id, channel, thread_key, thread_json, source_key, author_key, topic, urgency, score, created_at, updated_at)
       VALUES (?, ?, 'vk_comment', 't', '{}', 's', ?, 'water', 'normal', 1, 0, 0)`,
    );
    const reporter = db.prepare(
      "INSERT INTO incident_reporters (incident_id, message_id, thread_key, thread_json, author_key, linked_at) VALUES (?, ?, 't', '{}', ?, 0)",
    );
    for (const n of [1, 2]) incident.run(n, n, 'vk:1');
    for (const [id, message, author] of [
      [1, 1, 'vk:1'],
      [1, 2, 'vk:1'],
      [1, 3, 'vk:2'],
      [2, 4, 'vk:3'],
    ] as const)
      reporter.run(id, message, author);
    applyMigrations(db, all.slice(index));
    expect(db.prepare('SELECT id, reporter_count AS n FROM incidents ORDER BY id').all()).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 1 },
    ]);
  });

  it('should keep the delivered card message id on each incident when card_message_id is added', () => {
    const db = openDb(':memory:');
    const all = readMigrations(MIGRATIONS_DIR);
    const index = all.findIndex((m) => m.name === 'add_incident_card_message_id');
    applyMigrations(db, all.slice(0, index));
    db.pragma('foreign_keys = OFF');
    const incident = db.prepare(
      `INSERT INTO incidents (id, message_id, channel, thread_key, thread_json, source_key, author_key, topic, urgency, score, created_at, updated_at)
       VALUES (?, ?, 'vk_comment', 't', '{}', 's', 'vk:1', 'water', 'normal', 1, 0, 0)`,
    );
    for (const n of [1, 2, 3, 4]) incident.run(n, n);
    const outbox = db.prepare(
      `INSERT INTO outbox (platform, idempotency_key, destination_json, text, purpose, incident_id, state, next_attempt_at, created_at, external_id)
       VALUES ('telegram', ?, '{}', 'card', 'card', ?, ?, 0, 0, ?)`,
    );
    outbox.run('card:1', 1, 'sent', '501');
    outbox.run('card-edit:1:delivered', 1, 'sent', '777');
    outbox.run('card:2', 2, 'pending', null);
    outbox.run('card:3', 3, 'sent', null);
    applyMigrations(db, all.slice(index, index + 1));
    expect(db.prepare('SELECT id, card_message_id AS card FROM incidents ORDER BY id').all()).toEqual([
      { id: 1, card: 501 },
      { id: 2, card: null },
      { id: 3, card: null },
      { id: 4, card: null },
    ]);
    // Later the id becomes a ref (text), so a MAX mid fits too; the values carry over.
    applyMigrations(db, all.slice(index + 1));
    expect(db.prepare('SELECT id, card_message_ref AS card FROM incidents ORDER BY id').all()).toEqual([
      { id: 1, card: '501' },
      { id: 2, card: null },
      { id: 3, card: null },
      { id: 4, card: null },
    ]);
  });
});
