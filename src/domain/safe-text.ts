/**
 * Quoting citizens' and moderators' words in the bot's messages without letting them inject
 * markup or mentions. Pure.
 *
 * Telegram (HTML parse mode): `<`, `>`, `&`, `"` are escaped; `@name` and `/command@bot` are
 *   broken with a word joiner so no user is mentioned or notified through the bot.
 * VK (plain text): VK turns `[id1|x]`, `[club1|x]`, `@id1`, `*id1`, `@all`, `@online` into
 *   mentions and notifications; the brackets become parentheses and `@`/`*` before a word get a
 *   word joiner, so the text reads the same and mentions nobody.
 * MAX (plain or its HTML format, whose tags are a subset of Telegram's): as Telegram.
 */

/** Escape for Telegram's HTML parse mode: the four characters it treats as markup. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The tags Telegram's HTML parse mode knows (https://core.telegram.org/bots/api#html-style). */
const TELEGRAM_TAG = /<\/?(?:b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|tg-emoji|span|blockquote)(?:\s[^<>]*)?>/gi;

/**
 * The words of a Telegram HTML text without its markup: known tags dropped, entities decoded.
 * For the fallback when Telegram refuses the markup (a template with a bare «<», an unclosed
 * tag): the message still goes out, unformatted. A bare «<» that is no tag stays as it is.
 */
export function telegramHtmlToPlain(html: string): string {
  return html
    .replace(TELEGRAM_TAG, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

/** U+2060 WORD JOINER: invisible, keeps the reading, breaks the mention syntax. */
const JOINER = '\u2060';

type TextPlatform = 'telegram' | 'vk' | 'max';

/** Text for a Telegram message sent without parse mode: only mentions need breaking. */
export function safeTelegramPlain(text: string): string {
  return text.replace(/@(?=[\p{L}\p{N}_])/gu, `@${JOINER}`);
}

/** Telegram HTML-safe text with no working @mentions. */
export function safeTelegramHtml(text: string): string {
  return safeTelegramPlain(escapeTelegramHtml(text));
}

/** VK plain text with no mention markup. */
export function safeVkText(text: string): string {
  return text
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/([@*])(?=[\p{L}\p{N}_])/gu, `$1${JOINER}`);
}

/** `text` made safe for the platform and format ('html' exists on Telegram and MAX). */
export function safeText(text: string, platform: TextPlatform, format: 'plain' | 'html' = 'plain'): string {
  if (platform === 'vk') return safeVkText(text);
  return format === 'html' ? safeTelegramHtml(text) : safeTelegramPlain(text);
}
