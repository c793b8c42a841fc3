import type { Db } from './db.js';

export type MediaFileState = 'pending' | 'fetched' | 'skipped' | 'failed' | 'deleting' | 'deleted';

/** A citizen's file to fetch (or fetched) into media.dir. */
export interface MediaFile {
  id: number;
  messageId: number;
  position: number;
  /** A VK URL, or `tg:<file_id>`. */
  source: string;
  sizeHint: number | null;
  state: MediaFileState;
  path: string | null;
  bytes: number | null;
  attempts: number;
}

interface Row {
  id: number;
  message_id: number;
  position: number;
  source: string;
  size_hint: number | null;
  state: MediaFileState;
  path: string | null;
  bytes: number | null;
  attempts: number;
}

const toFile = (r: Row): MediaFile => ({
  id: r.id,
  messageId: r.message_id,
  position: r.position,
  source: r.source,
  sizeHint: r.size_hint,
  state: r.state,
  path: r.path,
  bytes: r.bytes,
  attempts: r.attempts,
});

/** The downloaded copies of citizens' files (media.download): what to fetch, what is kept, what retention must delete. */
export class MediaFileStore {
  constructor(private readonly db: Db) {}

  /**
   * Queue a message's files, each once: a file another message already queued (an album's photo
   * carried by its lead too, a forwarded photo) is not fetched twice. Returns how many were queued.
   */
  queue(messageId: number, files: readonly { position: number; source: string; sizeHint: number | null }[], now: number): number {
    const insert = this.db.prepare(
      `INSERT INTO media_files (message_id, position, source, size_hint, created_at)
       SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM media_files WHERE source = ?)
       ON CONFLICT (message_id, position) DO NOTHING`,
    );
    let queued = 0;
    for (const f of files) queued += insert.run(messageId, f.position, f.source, f.sizeHint, now, f.source).changes;
    return queued;
  }

  /** Files waiting to be fetched, oldest first. */
  pending(limit: number): MediaFile[] {
    return this.db.prepare<[number], Row>("SELECT * FROM media_files WHERE state = 'pending' ORDER BY id LIMIT ?").all(limit).map(toFile);
  }

  /** Bytes of the files kept on disk: the directory's use against media.maxTotalBytes. */
  keptBytes(): number {
    return this.db.prepare<[], { n: number | null }>("SELECT SUM(bytes) AS n FROM media_files WHERE state IN ('fetched', 'deleting')").get()!.n ?? 0;
  }

  fetched(id: number, path: string, bytes: number, now: number): void {
    this.db
      .prepare(
        "UPDATE media_files SET state = 'fetched', path = ?, bytes = ?, fetched_at = ?, attempts = attempts + 1, reason = NULL WHERE id = ? AND state = 'pending'",
      )
      .run(path, bytes, now, id);
  }

  /** Not fetched, for good (too big, the directory full, a host not allowed, refused by the platform). */
  skipped(id: number, reason: string): void {
    this.db.prepare("UPDATE media_files SET state = 'skipped', reason = ? WHERE id = ? AND state = 'pending'").run(reason.slice(0, 300), id);
  }

  /** A failed attempt: tried again on a later run, until `giveUp`. */
  failed(id: number, reason: string, giveUp: boolean): void {
    this.db
      .prepare(
        `UPDATE media_files SET attempts = attempts + 1, reason = ?, state = CASE WHEN ? THEN 'failed' ELSE state END WHERE id = ? AND state = 'pending'`,
      )
      .run(reason.slice(0, 300), giveUp ? 1 : 0, id);
  }

  /** Files retention marked for deletion ('deleting'), whose bytes must go from disk. */
  toDelete(): MediaFile[] {
    return this.db.prepare<[], Row>("SELECT * FROM media_files WHERE state = 'deleting' ORDER BY id").all().map(toFile);
  }

  /** The file is gone from disk: nothing of the citizen's is left on the row. */
  deleted(id: number): void {
    this.db.prepare("UPDATE media_files SET state = 'deleted', path = NULL, source = '', reason = NULL WHERE id = ?").run(id);
  }

  get(messageId: number, position: number): MediaFile | undefined {
    const row = this.db.prepare<[number, number], Row>('SELECT * FROM media_files WHERE message_id = ? AND position = ?').get(messageId, position);
    return row ? toFile(row) : undefined;
  }
}
