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
  /**
   * The management centre's fine topic of the row (`problem_label`, or `orig_label.topic` as the
   * data files carry it), mapped to a problem through config/problems.json; null when unlabelled.
   */
  centreTopic: string | null;
  /** A problem id of config/problems.json given directly (`problem`, as moderators' labels carry it); null when absent. */
  problem: string | null;
}

/**
 * Topic names other files use, mapped to our TOPIC_IDS. dev.jsonl already uses our ids; the
 * Russian names and a few English synonyms are here so a region's own labelled file scores too.
 */
export const TOPIC_ALIASES: Record<string, TopicId> = {
  жкх: 'housing',
  utilities: 'housing',
  дороги: 'roads',
  road: 'roads',
  мусор: 'waste',
  garbage: 'waste',
  транспорт: 'transport',
  благоустройство: 'improvement',
  здравоохранение: 'health',
  healthcare: 'health',
  образование: 'education',
  соцзащита: 'social',
  безопасность: 'safety',
  экология: 'ecology',
  связь: 'communications',
  другое: 'other',
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
      rows.push({
        id: typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `line:${n + 1}:${hashString(row.text)}`,
        text: row.text,
        complaint: row.label === 'complaint',
        topic: row.label === 'complaint' ? topic : null,
        kind: typeof row.kind === 'string' ? row.kind : '-',
        centreTopic: row.label === 'complaint' ? centreTopicOf(row) : null,
        problem: row.label === 'complaint' && typeof row.problem === 'string' && row.problem !== '' ? row.problem : null,
      });
    });
  return { rows, skipped };
}

/** `problem_label`, else the `topic` inside `orig_label` (the centre's fine topic in perm_cur.jsonl). */
function centreTopicOf(row: Record<string, unknown>): string | null {
  if (typeof row.problem_label === 'string' && row.problem_label.trim() !== '') return row.problem_label;
  const orig = row.orig_label;
  if (typeof orig === 'object' && orig !== null && typeof (orig as Record<string, unknown>).topic === 'string') return (orig as Record<string, string>).topic!;
  return null;
}

export type Split = 'train' | 'valid' | 'test';

/**
 * Deterministic split by a hash of the row's thread: 20 % test, 10 % validation, 70 % train.
 * Rows of one portal thread («spb:N», «spb-ans:N:k», «spb-fu:N:k») share a split, so an
 * official's reply never teaches the model about the complaint it answers; so do near-copies
 * (see {@link threadOf}).
 */
export function splitOf(row: Pick<LabelledRow, 'id' | 'text'>): Split {
  const bucket = hashString(threadOf(row)) % 10;
  return bucket < 2 ? 'test' : bucket < 3 ? 'valid' : 'train';
}

/**
 * The group a row is split and folded with: «spb:N» for every row of portal thread N; else the
 * start of its letter skeleton, so that a spam template sent with small changes («Тρе6γются
 * ρабσтники», «Требуются работники!») or a message repeated in several chats lands on one side
 * of a split, never both (a split inside a file would otherwise grade copies of its training rows);
 * the row's own id for texts too short to have a telling skeleton.
 */
export function threadOf(row: Pick<LabelledRow, 'id' | 'text'>): string {
  const thread = /^spb(?:-ans|-fu)?:(\d+)/.exec(row.id)?.[1];
  if (thread) return `spb:${thread}`;
  const skeleton = letterSkeleton(row.text).slice(0, SKELETON_CHARS);
  return skeleton.length >= SKELETON_CHARS ? `text:${skeleton}` : row.id;
}

const SKELETON_CHARS = 24;
/** Latin and Greek letters and digits that spam writes inside Russian words, as the Cyrillic they imitate. */
const SKELETON_LOOK_ALIKES: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
  u: 'и',
  n: 'п',
  r: 'г',
  α: 'а',
  β: 'в',
  γ: 'у',
  ε: 'е',
  η: 'п',
  κ: 'к',
  μ: 'м',
  ν: 'v',
  ο: 'о',
  ρ: 'р',
  σ: 'о',
  τ: 'т',
  υ: 'у',
  χ: 'х',
  '0': 'о',
  '3': 'з',
  '6': 'б',
  '4': 'ч',
};

/** Lower-case letters only, look-alikes as Cyrillic, ё as е: what stays of a text under small edits. */
export function letterSkeleton(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const mapped = SKELETON_LOOK_ALIKES[ch] ?? (ch === 'ё' ? 'е' : ch);
    if (/\p{L}/u.test(mapped)) out += mapped;
  }
  return out;
}

/** The id hash stored in a model's `trainedIds`. */
export const idHash = (id: string): number => hashString(id);
