/**
 * What came with a citizen's message, in the moderators' words: the lines a card (Telegram HTML),
 * a note under it or `/show` (plain) adds about photos, files and the location. VK photos and
 * documents are links (their URLs are public); Telegram photos travel as photos with the card or
 * the note, so a line only counts them; the location is a map link, with the gazetteer's place
 * when one was found.
 */
import type { Config } from './config.js';
import { type Attachment, type GeoPoint, isEvidence, type MessageMedia, photosOf } from './domain/attachment.js';
import { clipText, MESSAGE_TEXT_MAX } from './domain/clip-text.js';
import type { PlaceMatch } from './domain/detection.js';
import type { Platform } from './domain/inbound-message.js';
import { type ModeratorTemplateKey, modText } from './domain/moderator-templates.js';
import { ALBUM_MAX, CAPTION_MAX, type OutboundMedia } from './domain/outbound.js';
import { escapeTelegramHtml, safeTelegramHtml, safeText } from './domain/safe-text.js';
import { ATTACHMENT_LABELS, formatBytes, formatClock } from './texts.js';

export interface MediaLineOptions {
  /** 'html': a card line (Telegram HTML); 'plain': a note or a command reply. */
  format: 'html' | 'plain';
  /** Where the plain text goes (escaping); the card is always Telegram. */
  platform?: Platform;
  /**
   * Telegram photos (file ids): 'attached' — they go with this message, a line counts them (the
   * card); 'omit' — they go with it and need no line (a note carries them as photos); 'count' — a
   * line says how many there are on the card (/show, which cannot show them).
   */
  telegramPhotos: 'attached' | 'omit' | 'count';
  /** The place the location named (the incident's place), shown beside the coordinates. */
  place?: PlaceMatch | null;
}

const coordinate = (value: number): string => value.toFixed(5);

/** The map address of a point, from `location.mapUrl`. */
export function mapLink(config: Pick<Config, 'location'>, point: GeoPoint): string {
  return config.location.mapUrl.replace('{lat}', coordinate(point.lat)).replace('{lon}', coordinate(point.lon));
}

function placeText(place: PlaceMatch | null | undefined): string {
  if (!place) return '';
  return [place.street ? `${place.street}${place.house ? ` ${place.house}` : ''}` : '', place.settlement ?? ''].filter(Boolean).join(', ');
}

/** One file in words: «документ «акт.pdf», 120 КБ», «голосовое сообщение, 0:12». */
function fileText(file: Attachment, html: boolean, config: Pick<Config, 'templates' | 'region'>, escapeText: (text: string) => string): string {
  const label = ATTACHMENT_LABELS[file.kind];
  const name = 'name' in file && file.name ? file.name : null;
  const url = 'url' in file ? file.url : undefined;
  const named = name ? ` «${escapeText(name)}»` : '';
  const details = [
    'size' in file && file.size !== null ? formatBytes(file.size) : '',
    'duration' in file && file.duration !== null ? formatClock(file.duration) : '',
  ].filter(Boolean);
  const head = html && url ? modText(config, 'card_file_link', { url: escapeTelegramHtml(url), name: `${label}${named}` }) : `${label}${named}`;
  const tail = !html && url ? ` ${url}` : '';
  return [head, ...details].join(', ') + tail;
}

/** The lines about `media`, empty when the message had nothing besides words. */
export function mediaLines(media: MessageMedia, config: Pick<Config, 'templates' | 'region' | 'location'>, options: MediaLineOptions): string[] {
  const html = options.format === 'html';
  const escapeText = (text: string) => (html ? safeTelegramHtml(text) : safeText(text, options.platform ?? 'telegram'));
  const t = (key: ModeratorTemplateKey, values: Record<string, string | number>) => modText(config, key, values);
  const photos = photosOf(media.attachments);
  const linked = photos.filter((p) => p.fileId === undefined && p.url !== undefined);
  const telegram = photos.filter((p) => p.fileId !== undefined);
  const files = media.attachments.filter((a) => isEvidence(a) && a.kind !== 'photo');
  const lines: string[] = [];
  if (linked.length > 0) {
    lines.push(
      html
        ? t('card_photos_links', {
            links: linked.map((p, i) => t('card_photo_link', { url: escapeTelegramHtml(p.url!), n: i + 1 })).join(', '),
            count: linked.length,
          })
        : t('mod_media_photos', { list: linked.map((p) => p.url!).join(' '), count: linked.length }),
    );
  }
  if (telegram.length > 0 && options.telegramPhotos === 'attached') lines.push(t('card_photos_attached', { count: telegram.length }));
  if (telegram.length > 0 && options.telegramPhotos === 'count') lines.push(t('mod_media_telegram_photos', { count: telegram.length }));
  if (files.length > 0) {
    const list = files.map((f) => fileText(f, html, config, escapeText)).join('; ');
    lines.push(t(html ? 'card_files' : 'mod_media_files', { files: list }));
  }
  if (media.location) {
    const where = placeText(options.place);
    const values = {
      map: html ? escapeTelegramHtml(mapLink(config, media.location)) : mapLink(config, media.location),
      lat: coordinate(media.location.lat),
      lon: coordinate(media.location.lon),
    };
    const key: ModeratorTemplateKey = html ? (where ? 'card_location_place' : 'card_location') : where ? 'mod_media_location_place' : 'mod_media_location';
    lines.push(t(key, where ? { ...values, place: escapeText(where) } : values));
  }
  return lines;
}

/** The Telegram photos (file ids) among the attachments, as the outbox sends them again. */
export function telegramPhotos(attachments: readonly Attachment[]): OutboundMedia[] {
  return photosOf(attachments).flatMap((p) => (p.fileId !== undefined ? [{ kind: 'photo' as const, fileId: p.fileId }] : []));
}

/**
 * A plain note to the moderators with what came with the citizen's message(s): the body, then the
 * lines about VK photos, files and the location; the Telegram photos (ten at most, an album's
 * limit) go with it, the text then cut to a caption. `place`: what the location names (the incident's place).
 */
export function noteWithMedia(
  body: string,
  media: MessageMedia,
  config: Pick<Config, 'templates' | 'region' | 'location'>,
  place: PlaceMatch | null = null,
): { text: string; media?: OutboundMedia[] } {
  const text = [body, ...mediaLines(media, config, { format: 'plain', telegramPhotos: 'omit', place })].join('\n');
  const photos = telegramPhotos(media.attachments).slice(0, ALBUM_MAX);
  return photos.length > 0 ? { text: clipText(text, CAPTION_MAX), media: photos } : { text: clipText(text, MESSAGE_TEXT_MAX) };
}
