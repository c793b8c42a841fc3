/**
 * Cutting texts to a platform's length limit without breaking them. Pure. A plain `slice` can
 * split a surrogate pair (an emoji), which Telegram and VK refuse as invalid UTF-8, or cut Telegram
 * HTML inside a tag or an entity (`&am`), which Telegram refuses as unparsable: either way the
 * message would never be delivered.
 */
import { telegramHtmlToPlain } from './safe-text.js';

/**
 * The longest text the bot sends in one message: below Telegram's 4096 (messages and card edits)
 * and VK's 4096 (messages.send), with room for the word joiners that escaping adds.
 */
export const MESSAGE_TEXT_MAX = 4000;

/** `text` cut to at most `max` UTF-16 code units, ending with «…» when cut; never splits a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  // A high surrogate as the last unit kept would be half an emoji.
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * A message body that fits `max`. Plain text is cut with `clipText`; Telegram HTML that fits is
 * kept, and HTML that does not is sent as plain text (the markup dropped) and cut, since no cut
 * of HTML is safe without parsing it.
 */
export function clipMessage(text: string, format: 'plain' | 'html', max = MESSAGE_TEXT_MAX): { text: string; format: 'plain' | 'html' } {
  if (text.length <= max) return { text, format };
  return { text: clipText(format === 'html' ? telegramHtmlToPlain(text) : text, max), format: 'plain' };
}
