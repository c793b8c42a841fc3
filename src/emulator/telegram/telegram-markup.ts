/** A Telegram MessageEntity; offsets and lengths count UTF-16 code units, as in the Bot API. */
export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface ParsedText {
  text: string;
  entities: TgEntity[];
}

/** A parse failure; `description` is what Telegram puts after "Bad Request: can't parse entities: ". */
export class MarkupError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'MarkupError';
  }
}

const byteOffset = (src: string, index: number): number => Buffer.byteLength(src.slice(0, index));

// === HTML

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Parses Telegram's HTML subset roughly the way the Bot API does: known tags
 * become entities; unknown, unbalanced or unclosed tags are refused with
 * Telegram's wording. Attributes are read only for `<a href>`, `<span class>` and
 * `<pre><code class="language-…">`.
 */
export function parseHtml(src: string): ParsedText {
  let text = '';
  const entities: TgEntity[] = [];
  const stack: { tag: string; type: string; start: number; url?: string }[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (ch === '&') {
      const match = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(src.slice(i));
      if (match?.[1] !== undefined) {
        const name = match[1];
        const decoded = name.startsWith('#x')
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? String.fromCodePoint(parseInt(name.slice(1), 10))
            : NAMED_ENTITIES[name];
        if (decoded !== undefined) {
          text += decoded;
          i += match[0].length;
          continue;
        }
      }
      text += ch;
      i += 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const end = src.indexOf('>', i);
    if (end === -1) throw new MarkupError(`Unclosed start tag at byte offset ${byteOffset(src, i)}`);
    const raw = src.slice(i + 1, end);
    if (raw.startsWith('/')) {
      const name = raw.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw new MarkupError(`Unexpected end tag at byte offset ${byteOffset(src, i)}`);
      if (open.tag !== name) {
        throw new MarkupError(`Unmatched end tag at byte offset ${byteOffset(src, i)}, expected "</${open.tag}>", found "</${name}>"`);
      }
      if (text.length > open.start) {
        entities.push({
          type: open.type,
          offset: open.start,
          length: text.length - open.start,
          ...(open.url !== undefined ? { url: open.url } : {}),
        });
      }
      i = end + 1;
      continue;
    }
    const nameMatch = /^([a-zA-Z][\w-]*)/.exec(raw);
    const name = nameMatch?.[1]?.toLowerCase();
    const type = name !== undefined ? HTML_TAGS[name] : undefined;
    if (name === undefined || type === undefined) {
      throw new MarkupError(`Unsupported start tag "${name ?? raw}" at byte offset ${byteOffset(src, i)}`);
    }
    const attrs = raw.slice(name.length);
    if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/.test(attrs)) {
      throw new MarkupError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(src, i)}`);
    }
    const href = /href\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
    stack.push({ tag: name, type, start: text.length, ...(name === 'a' ? { url: href ?? '' } : {}) });
    i = end + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw new MarkupError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

// === MarkdownV2

const MD_RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const MD_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  text_link: 'TextUrl',
};

/**
 * Parses MarkdownV2: *bold*, _italic_, __underline__, ~strike~, ||spoiler||,
 * `code`, ```pre```, [text](url) and `>` quotes at line starts. Every other
 * reserved character must be escaped with a backslash, as Telegram demands.
 */
export function parseMarkdownV2(src: string): ParsedText {
  let text = '';
  const entities: TgEntity[] = [];
  const stack: { type: string; start: number; at: number }[] = [];
  const toggle = (type: string, at: number): void => {
    const top = stack[stack.length - 1];
    if (top?.type === type) {
      stack.pop();
      if (text.length > top.start) entities.push({ type, offset: top.start, length: text.length - top.start });
    } else {
      stack.push({ type, start: text.length, at });
    }
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    const atLineStart = i === 0 || src[i - 1] === '\n';
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === undefined) throw new MarkupError(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      text += next;
      i += 2;
    } else if (src.startsWith('```', i)) {
      const close = src.indexOf('```', i + 3);
      if (close === -1) throw new MarkupError(`Can't find end of Pre entity at byte offset ${byteOffset(src, i)}`);
      let body = src.slice(i + 3, close);
      const newline = body.indexOf('\n');
      const language = newline > 0 ? body.slice(0, newline) : undefined;
      if (newline >= 0) body = body.slice(newline + 1);
      const start = text.length;
      text += body.replace(/\\([`\\])/g, '$1');
      entities.push({ type: 'pre', offset: start, length: text.length - start, ...(language ? { language } : {}) });
      i = close + 3;
    } else if (ch === '`') {
      const close = src.indexOf('`', i + 1);
      if (close === -1) throw new MarkupError(`Can't find end of Code entity at byte offset ${byteOffset(src, i)}`);
      const start = text.length;
      text += src.slice(i + 1, close).replace(/\\([`\\])/g, '$1');
      entities.push({ type: 'code', offset: start, length: text.length - start });
      i = close + 1;
    } else if (ch === '*') {
      toggle('bold', i);
      i += 1;
    } else if (src.startsWith('__', i)) {
      toggle('underline', i);
      i += 2;
    } else if (ch === '_') {
      toggle('italic', i);
      i += 1;
    } else if (ch === '~') {
      toggle('strikethrough', i);
      i += 1;
    } else if (src.startsWith('||', i)) {
      toggle('spoiler', i);
      i += 2;
    } else if (ch === '[') {
      stack.push({ type: 'text_link', start: text.length, at: i });
      i += 1;
    } else if (ch === ']' && stack[stack.length - 1]?.type === 'text_link') {
      const open = stack.pop();
      const urlMatch = /^\]\(((?:\\.|[^)\\])*)\)/.exec(src.slice(i));
      if (!open || !urlMatch) throw new MarkupError(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
      const url = (urlMatch[1] ?? '').replace(/\\(.)/g, '$1');
      if (text.length > open.start) entities.push({ type: 'text_link', offset: open.start, length: text.length - open.start, url });
      i += urlMatch[0].length;
    } else if (ch === '>' && atLineStart) {
      i += 1;
    } else if (MD_RESERVED.has(ch)) {
      throw new MarkupError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    } else {
      text += ch;
      i += 1;
    }
  }
  const unclosed = stack.pop();
  if (unclosed) {
    throw new MarkupError(`Can't find end of ${MD_NAMES[unclosed.type] ?? unclosed.type} entity at byte offset ${byteOffset(src, unclosed.at)}`);
  }
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

/** `/command` and `/command@bot` at word starts, as Telegram marks them in incoming messages. */
export function botCommandEntities(text: string): TgEntity[] {
  const entities: TgEntity[] = [];
  for (const match of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)/g)) {
    const command = match[2] ?? '';
    entities.push({ type: 'bot_command', offset: (match.index ?? 0) + (match[1]?.length ?? 0), length: command.length });
  }
  return entities;
}
