import { randomUUID } from 'node:crypto';
import type { Platform } from '../domain/inbound-message.js';
import type { Destination, OutboundMedia, OutboundMessage } from '../domain/outbound.js';
import { destinationPlatform } from '../domain/outbound.js';
import type { Db } from './db.js';
import { immediate } from './db.js';

export type OutboxPurpose =
  | 'ack'
  | 'status'
  | 'card'
  | 'review'
  | 'reminder'
  | 'alert'
  | 'digest'
  | 'announce'
  | 'reply'
  | 'callback'
  /** A burst summary in the moderators' chat and its edits (src/moderation/burst-summaries.ts). */
  | 'burst'
  /** A notice sent to a moderator where they work (a VK moderator's community dialog). */
  | 'notice';

export type OutboxState = 'pending' | 'sent' | 'dead';

export interface OutboxItem {
  id: number;
  platform: Platform;
  idempotencyKey: string;
  message: OutboundMessage;
  purpose: OutboxPurpose;
  incidentId: number | null;
  /** Within its destination, a higher priority goes first (src/outbox/outbox-priority.ts). */
  priority: number;
  state: OutboxState;
  failCount: number;
  failReason: string | null;
  nextAttemptAt: number;
  createdAt: number;
  sentAt: number | null;
  externalId: string | null;
  /** When a send was last started (senders that record attempts: MAX); null before. */
  attemptedAt: number | null;
}

/** A claimed row: only the holder of `leaseToken` may complete or fail it. */
export interface OutboxClaim extends OutboxItem {
  leaseToken: string;
}

export interface EnqueueInput {
  /** Unique per platform: a retry of the same logical send must use the same key. */
  idempotencyKey: string;
  message: OutboundMessage;
  purpose: OutboxPurpose;
  incidentId?: number | null;
  /** Earliest time to send; default now. */
  notBefore?: number;
  /** Within its destination, a higher priority is claimed first (src/outbox/outbox-priority.ts); default 0. */
  priority?: number;
}

interface OutboxRow {
  id: number;
  platform: Platform;
  idempotency_key: string;
  destination_json: string;
  text: string;
  format: 'plain' | 'html';
  buttons_json: string | null;
  alert: number;
  purpose: OutboxPurpose;
  incident_id: number | null;
  state: OutboxState;
  fail_count: number;
  fail_reason: string | null;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  external_id: string | null;
  lease_token: string | null;
  photo_path: string | null;
  attempted_at: number | null;
  media_json: string | null;
  priority: number;
}

/** The stored media of a row; a row a bug left unreadable sends its text alone rather than crash the worker. */
function parseOutboundMedia(json: string | null): OutboundMedia[] | undefined {
  if (!json) return undefined;
  try {
    const list = JSON.parse(json) as unknown;
    if (!Array.isArray(list)) return undefined;
    const media = list.filter((m): m is OutboundMedia => typeof m === 'object' && m !== null && m.kind === 'photo' && typeof m.fileId === 'string');
    return media.length > 0 ? media : undefined;
  } catch {
    return undefined;
  }
}

function toItem(row: OutboxRow): OutboxItem {
  const message: OutboundMessage = {
    destination: JSON.parse(row.destination_json) as Destination,
    text: row.text,
    format: row.format,
  };
  if (row.buttons_json) message.buttons = JSON.parse(row.buttons_json) as OutboundMessage['buttons'];
  if (row.alert) message.alert = true;
  if (row.photo_path) message.photo = { path: row.photo_path };
  const media = parseOutboundMedia(row.media_json);
  if (media) message.media = media;
  return {
    id: row.id,
    platform: row.platform,
    idempotencyKey: row.idempotency_key,
    message,
    purpose: row.purpose,
    incidentId: row.incident_id,
    priority: row.priority,
    state: row.state,
    failCount: row.fail_count,
    failReason: row.fail_reason,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    externalId: row.external_id,
    attemptedAt: row.attempted_at ?? null,
  };
}

/**
 * The outbox: nothing is sent except through it. Enqueue is idempotent on (platform, key),
 * claims use a lease and a fencing token, and delivered rows are kept as the record of what was said.
 */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  /** Insert unless a row with the same key exists. Returns the new row id, or null for a duplicate. */
  enqueue(input: EnqueueInput, now: number): number | null {
    const { message } = input;
    const result = this.db
      .prepare(
        `INSERT INTO outbox (platform, idempotency_key, destination_json, text, format, buttons_json, alert, purpose,
                             incident_id, next_attempt_at, created_at, photo_path, media_json, priority)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (platform, idempotency_key) DO NOTHING`,
      )
      .run(
        destinationPlatform(message.destination),
        input.idempotencyKey,
        JSON.stringify(message.destination),
        message.text,
        message.format,
        message.buttons ? JSON.stringify(message.buttons) : null,
        message.alert ? 1 : 0,
        input.purpose,
        input.incidentId ?? null,
        input.notBefore ?? now,
        now,
        message.photo?.path ?? null,
        message.media?.length ? JSON.stringify(message.media) : null,
        input.priority ?? 0,
      );
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  /**
   * Replace the text and buttons of rows not yet sent and not claimed by a worker: an incident
   * card whose status changed before it went out, or older edits of a card that would otherwise
   * land after a newer one. `key` is one idempotency key, or `{ prefix }` for every key starting
   * with it. `media`, when the message names it (even as undefined), replaces the photos too;
   * otherwise they stay. Returns how many rows changed (0: sent, in flight, or none).
   */
  replacePending(
    platform: Platform,
    key: string | { prefix: string },
    message: Pick<OutboundMessage, 'text' | 'format' | 'buttons' | 'media'>,
    now: number,
  ): number {
    const exact = typeof key === 'string';
    // A prefix is matched as a key range, so the lookup walks UNIQUE(platform, idempotency_key):
    // `substr(key, 1, n) = prefix` scanned every row of the platform (quadratic over a burst).
    const range = exact ? [] : [key.prefix, keyAfterPrefix(key.prefix)];
    const result = this.db
      .prepare(
        `UPDATE outbox SET text = ?, format = ?, buttons_json = ?${'media' in message ? ', media_json = ?' : ''}
          WHERE platform = ? AND ${exact ? 'idempotency_key = ?' : 'idempotency_key >= ? AND idempotency_key < ?'}
            AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?)`,
      )
      .run(
        message.text,
        message.format,
        message.buttons ? JSON.stringify(message.buttons) : null,
        ...('media' in message ? [message.media?.length ? JSON.stringify(message.media) : null] : []),
        platform,
        ...(exact ? [key] : range),
        now,
      );
    return result.changes;
  }

  /**
   * Claim up to `limit` due rows for `leaseMs`. Rows whose lease expired (a crashed worker) are due again.
   * The compare-and-set under BEGIN IMMEDIATE is what keeps two workers from sending the same row.
   * `laneCaps` limits how many rows of a destination (by {@link laneKeyOf}) this claim takes: a slow
   * lane is given only what it sends soon, so the rest stays here, in priority order, rewritable.
   * Rows of priority `uncappedFrom` or more are taken whatever the cap: the lane starts them first.
   */
  claimDue(
    now: number,
    limit: number,
    leaseMs: number,
    platform?: Platform,
    exclude: ReadonlySet<number> = new Set(),
    laneCaps: Readonly<Record<string, number>> = {},
    uncappedFrom = Number.MAX_SAFE_INTEGER,
  ): OutboxClaim[] {
    const token = randomUUID();
    return immediate(this.db, () => {
      // Round-robin over destinations (a VK community, a Telegram chat), by priority then oldest
      // first within each: a burst under one community cannot fill the whole batch while other
      // lanes sit idle, and each chat still gets its replies of one priority in order.
      const rows = this.db
        .prepare<unknown[], OutboxRow>(
          `SELECT * FROM (
             SELECT *, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY priority DESC, next_attempt_at, id) AS lane_rank
               FROM (SELECT *, ${LANE_SQL} AS lane
                       FROM outbox
                      WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                        AND id NOT IN (SELECT value FROM json_each(?))
                        ${platform ? 'AND platform = ?' : ''}))
            WHERE (lane_rank <= COALESCE((SELECT value FROM json_each(?) WHERE key = lane), ?) OR priority >= ?)
            ORDER BY lane_rank, priority DESC, next_attempt_at, id LIMIT ?`,
        )
        // Rows the caller already has on their way (their lease may have run out in a slow lane) are
        // left out before the LIMIT, so they can never fill a batch that other due rows are waiting for.
        .all(now, now, JSON.stringify([...exclude]), ...(platform ? [platform] : []), JSON.stringify(laneCaps), limit, uncappedFrom, limit);
      const lease = this.db.prepare('UPDATE outbox SET lease_until = ?, lease_token = ? WHERE id = ?');
      for (const row of rows) lease.run(now + leaseMs, token, row.id);
      return rows.map((row) => ({ ...toItem(row), leaseToken: token }));
    });
  }

  /** How many rows of this purpose wait to be sent (claimed ones included): the backlog of a kind of message. */
  pendingCount(platform: Platform, purpose: OutboxPurpose): number {
    return this.db
      .prepare<[string, string], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending' AND platform = ? AND purpose = ?`)
      .get(platform, purpose)!.n;
  }

  /** The incidents of the rows under `keyPrefix` still waiting to be sent (claimed ones included), oldest first. */
  pendingIncidents(platform: Platform, keyPrefix: string): number[] {
    return this.db
      .prepare<[string, string, string], { id: number }>(
        `SELECT incident_id AS id FROM outbox WHERE state = 'pending' AND platform = ? AND idempotency_key >= ? AND idempotency_key < ? AND incident_id IS NOT NULL ORDER BY id`,
      )
      .all(platform, keyPrefix, keyAfterPrefix(keyPrefix))
      .map((r) => r.id);
  }

  /**
   * Send a waiting row sooner: raise its priority to at least `priority` and make it due now. A
   * row already claimed keeps its place in its lane. Returns false when it is sent, dead or absent.
   */
  promote(platform: Platform, idempotencyKey: string, priority: number, now: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE outbox SET priority = MAX(priority, ?), next_attempt_at = MIN(next_attempt_at, ?) WHERE platform = ? AND idempotency_key = ? AND state = 'pending'`,
      )
      .run(priority, now, platform, idempotencyKey);
    return result.changes === 1;
  }

  /**
   * Extend a claim's lease just before sending. False when another claim took the row (its token
   * changed) or it is no longer pending: the caller must not send.
   */
  renew(claim: OutboxClaim, now: number, leaseMs: number): boolean {
    const result = this.db
      .prepare(`UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_token = ? AND state = 'pending'`)
      .run(now + leaseMs, claim.id, claim.leaseToken);
    return result.changes === 1;
  }

  /**
   * Record, before the request goes out, that a send of the claimed row starts now. Committed on
   * its own, so a process killed mid-send leaves it behind. False when the lease was lost.
   */
  markAttempted(claim: OutboxClaim, now: number): boolean {
    const result = this.db
      .prepare(`UPDATE outbox SET attempted_at = ? WHERE id = ? AND lease_token = ? AND state = 'pending'`)
      .run(now, claim.id, claim.leaseToken);
    return result.changes === 1;
  }

  /** Mark delivered. False when the lease was lost (another worker took the row): the caller must not assume success was recorded. */
  complete(claim: OutboxClaim, externalId: string | null, now: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE outbox SET state = 'sent', sent_at = ?, external_id = ?, lease_until = NULL, fail_reason = NULL
          WHERE id = ? AND lease_token = ? AND state = 'pending'`,
      )
      .run(now, externalId, claim.id, claim.leaseToken);
    return result.changes === 1;
  }

  /**
   * The delivered rows with this platform message id among the keys starting with `keyPrefix`:
   * which of the bot's own messages someone replied to. Several when the platform numbers messages
   * per chat (Telegram): the caller picks by destination. The key range keeps it on the key index.
   */
  findSentByExternalId(platform: Platform, keyPrefix: string, externalId: string): OutboxItem[] {
    const end = keyAfterPrefix(keyPrefix);
    return this.db
      .prepare<[string, string, string, string], OutboxRow>(
        `SELECT * FROM outbox WHERE platform = ? AND idempotency_key >= ? AND idempotency_key < ? AND external_id = ? AND state = 'sent'`,
      )
      .all(platform, keyPrefix, end, externalId)
      .map(toItem);
  }

  /** Schedule another attempt at `nextAttemptAt`, or give up (`dead`) when `giveUp` is set. */
  fail(claim: OutboxClaim, reason: string, nextAttemptAt: number, giveUp: boolean): boolean {
    const result = this.db
      .prepare(
        `UPDATE outbox SET fail_count = fail_count + 1, fail_reason = ?, next_attempt_at = ?, lease_until = NULL,
                state = CASE WHEN ? THEN 'dead' ELSE 'pending' END
          WHERE id = ? AND lease_token = ? AND state = 'pending'`,
      )
      .run(reason.slice(0, 500), nextAttemptAt, giveUp ? 1 : 0, claim.id, claim.leaseToken);
    return result.changes === 1;
  }

  /** Put a claimed row back without counting a failure (shutdown, a channel paused by a rate limit). */
  release(claim: OutboxClaim, nextAttemptAt: number): void {
    this.db
      .prepare(`UPDATE outbox SET lease_until = NULL, next_attempt_at = ? WHERE id = ? AND lease_token = ? AND state = 'pending'`)
      .run(nextAttemptAt, claim.id, claim.leaseToken);
  }

  /** The newest row id: cheap (an index lookup) and grows whenever anything was enqueued. */
  highWater(): number {
    return this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM outbox').get()!.id ?? 0;
  }

  get(id: number): OutboxItem | undefined {
    const row = this.db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
    return row ? toItem(row) : undefined;
  }

  /** The oldest row under `keyPrefix` still waiting and not claimed: one that can still be rewritten (replacePending). */
  findReplaceable(platform: Platform, keyPrefix: string, now: number): OutboxItem | undefined {
    const row = this.db
      .prepare<[string, string, string, number], OutboxRow>(
        `SELECT * FROM outbox WHERE platform = ? AND idempotency_key >= ? AND idempotency_key < ?
            AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT 1`,
      )
      .get(platform, keyPrefix, keyAfterPrefix(keyPrefix), now);
    return row ? toItem(row) : undefined;
  }

  /** The oldest row under `keyPrefix` still waiting to be sent, claimed or not. */
  pendingUnder(platform: Platform, keyPrefix: string): OutboxItem | undefined {
    const row = this.db
      .prepare<[string, string, string], OutboxRow>(
        `SELECT * FROM outbox WHERE platform = ? AND idempotency_key >= ? AND idempotency_key < ? AND state = 'pending' ORDER BY id LIMIT 1`,
      )
      .get(platform, keyPrefix, keyAfterPrefix(keyPrefix));
    return row ? toItem(row) : undefined;
  }

  /** Rewrite what a claimed row says, for its holder only (the fencing token): it is about to be sent so. */
  rewriteClaimed(claim: OutboxClaim, message: Pick<OutboundMessage, 'text' | 'format' | 'buttons' | 'media'>): void {
    this.db
      .prepare(`UPDATE outbox SET text = ?, format = ?, buttons_json = ?, media_json = ? WHERE id = ? AND lease_token = ? AND state = 'pending'`)
      .run(
        message.text,
        message.format,
        message.buttons ? JSON.stringify(message.buttons) : null,
        message.media?.length ? JSON.stringify(message.media) : null,
        claim.id,
        claim.leaseToken,
      );
  }

  findByKey(platform: Platform, idempotencyKey: string): OutboxItem | undefined {
    const row = this.db.prepare<[string, string], OutboxRow>('SELECT * FROM outbox WHERE platform = ? AND idempotency_key = ?').get(platform, idempotencyKey);
    return row ? toItem(row) : undefined;
  }

  /**
   * Rows by state, for health and metrics: pending (waiting, incl. backoff), due (pending with its
   * next attempt at or before `now`; every pending row when `now` is omitted), dead (given up),
   * sent, and when the oldest pending row was queued. Each count is a range of the
   * (state, next_attempt_at) index, so the kept sent rows are never read from the table.
   */
  backlog(now?: number): { pending: number; due: number; dead: number; sent: number; oldestPendingAt: number | null } {
    const row = this.db
      .prepare<[number | null, number | null], { pending: number; due: number; dead: number; sent: number; oldest: number | null }>(
        `SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS pending,
                (SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND (? IS NULL OR next_attempt_at <= ?)) AS due,
                (SELECT COUNT(*) FROM outbox WHERE state = 'dead') AS dead,
                (SELECT COUNT(*) FROM outbox WHERE state = 'sent') AS sent,
                (SELECT MIN(created_at) FROM outbox WHERE state = 'pending') AS oldest`,
      )
      .get(now ?? null, now ?? null)!;
    return { pending: row.pending, due: row.due, dead: row.dead, sent: row.sent, oldestPendingAt: row.oldest };
  }

  /** The earliest next attempt among pending rows, so a worker can sleep exactly until then. */
  nextDueAt(): number | null {
    const row = this.db
      .prepare<[], { due: number | null }>(`SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) AS due FROM outbox WHERE state = 'pending'`)
      .get();
    return row?.due ?? null;
  }
}

/** A row's destination lane in SQL, as {@link laneKeyOf} computes it in code. */
const LANE_SQL = `platform || ':' || COALESCE(json_extract(destination_json, '$.groupId'), json_extract(destination_json, '$.chatId'), '')`;

/**
 * The destination a row is claimed round-robin by, and capped by (`claimDue`'s `laneCaps`): a VK
 * community (`vk:<groupId>`), a Telegram chat (`telegram:<chatId>`), or `telegram:` for button answers.
 */
export function laneKeyOf(destination: Destination): string {
  const d = destination as { groupId?: number; chatId?: number };
  return `${destinationPlatform(destination)}:${d.groupId ?? d.chatId ?? ''}`;
}

/** The least string above every string that starts with `prefix` (SQLite's BINARY order); `prefix` must not be empty. */
function keyAfterPrefix(prefix: string): string {
  if (prefix === '') throw new Error('an empty prefix matches every key');
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
