import { readFileSync } from 'node:fs';
import { hashString } from '../detect/hashed-features.js';
import { isTopicId, type TopicId } from '../domain/detection.js';

/** One labelled message: `{"id", "text", "label": "complaint"|"not_complaint", "topic"?}` per JSONL line. */
export interface LabelledRow {
  id: string;
  text: string;
  complaint: boolean;
  topic: TopicId | null;
  /** The file's `kind` column when present (dev.jsonl: spb_first, vk_post, …), for per-kind figures. */
  kind: string;
}

/**
 * Topic names other files use, mapped to our TOPIC_IDS. dev.jsonl already uses our ids; the
 * Russian names and a few English synonyms are here so a region's own labelled file scores too.
 */
export const TOPIC_ALIASES: Record<string, TopicId> = {
  жкх: 'housing', utilities: 'housing', дороги: 'roads', road: 'roads', мусор: 'waste', garbage: 'waste', транспорт: 'transport',
  благоустройство: 'improvement', здравоохранение: 'health', healthcare: 'health', образование: 'education', соцзащита: 'social',
  безопасность: 'safety', экология: 'ecology', связь: 'communications', другое: 'other',
};

/** Reads a labelled JSONL file; broken lines are skipped and counted, never fatal. */
export function readLabelled(path: string): { rows: LabelledRow[]; skipped: string[] } {
  const rows: LabelledRow[] = [];
  const skipped: string[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, n) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        skipped.push(`line ${n + 1}: not JSON`);
        return;
      }
      const row = value as Record<string, unknown>;
      if (typeof row.text !== 'string' || (row.label !== 'complaint' && row.label !== 'not_complaint')) {
        skipped.push(`line ${n + 1}: needs "text" and "label": "complaint" | "not_complaint"`);
        return;
      }
      const rawTopic = typeof row.topic === 'string' ? row.topic.toLowerCase() : null;
      const topic = rawTopic === null ? null : isTopicId(rawTopic) ? rawTopic : (TOPIC_ALIASES[rawTopic] ?? 'other');
      rows.push({ id: typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `line:${n + 1}:${hashString(row.text)}`, text: row.text, complaint: row.label === 'complaint', topic: row.label === 'complaint' ? topic : null, kind: typeof row.kind === 'string' ? row.kind : '-' });
    });
  return { rows, skipped };
}

export type Split = 'train' | 'valid' | 'test';

/**
 * Deterministic split by a hash of the row's thread: 20 % test, 10 % validation, 70 % train.
 * Rows of one portal thread («spb:N», «spb-ans:N:k», «spb-fu:N:k») share a split, so an
 * official's reply never teaches the model about the complaint it answers.
 */
export function splitOf(id: string): Split {
  const bucket = hashString(threadOf(id)) % 10;
  return bucket < 2 ? 'test' : bucket < 3 ? 'valid' : 'train';
}

/** The thread a row belongs to: «spb:N» for every row of portal thread N, the row's own id otherwise. */
export function threadOf(id: string): string {
  const thread = /^spb(?:-ans|-fu)?:(\d+)/.exec(id)?.[1];
  return thread ? `spb:${thread}` : id;
}

/** The id hash stored in a model's `trainedIds`. */
export const idHash = (id: string): number => hashString(id);
