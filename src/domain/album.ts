/**
 * Telegram albums: each photo of an album is a message of its own (the same media_group_id, the
 * caption on one of them), and they arrive together. Within a batch the album is gathered into its
 * lead — the item with words, else the first — which carries every item's attachments, so one
 * incident (or one note) gets all the photos; the other items follow it and are recorded as part
 * of it. Items with words of their own stay messages of their own. Pure.
 */
import { MAX_ATTACHMENTS } from './attachment.js';
import { type InboundMessage, sourceKey } from './inbound-message.js';

const hasWords = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);

/** The batch with each album's items after its lead, the lead carrying all their attachments; everything else unchanged and in order. */
export function gatherAlbums(batch: readonly InboundMessage[]): InboundMessage[] {
  const albumOf = (m: InboundMessage): string | null => (m.mediaGroupId === undefined ? null : `${sourceKey(m.source)}|${m.mediaGroupId}`);
  const albums = new Map<string, InboundMessage[]>();
  for (const message of batch) {
    const key = albumOf(message);
    if (key !== null) albums.set(key, [...(albums.get(key) ?? []), message]);
  }
  const out: InboundMessage[] = [];
  const placed = new Set<InboundMessage>();
  const gathered = new Set<string>();
  for (const message of batch) {
    if (placed.has(message)) continue;
    const key = albumOf(message);
    const items = key === null ? [] : (albums.get(key) ?? []);
    // A lone item, an album gathered already (this is an item with words of its own), or nothing to gather.
    if (items.length < 2 || gathered.has(key!)) {
      out.push(message);
      continue;
    }
    gathered.add(key!);
    const lead = items.find((m) => hasWords(m.text)) ?? items[0]!;
    const followers = items.filter((m) => m !== lead && !hasWords(m.text));
    const attachments = [...lead.attachments, ...followers.flatMap((m) => m.attachments)].slice(0, MAX_ATTACHMENTS);
    const location = lead.location ?? followers.find((m) => m.location)?.location;
    out.push({ ...lead, attachments, ...(location ? { location } : {}) }, ...followers);
    placed.add(lead);
    for (const m of followers) placed.add(m);
    if (message !== lead && !followers.includes(message)) out.push(message);
    placed.add(message);
  }
  return out;
}
