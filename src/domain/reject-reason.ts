/**
 * Why a moderator rejected an incident, read from the first words of their reason: «спам»,
 * «реклама», «не обращение» … say the message was not an appeal at all — the detector was wrong,
 * and the message is a `not_complaint` label for it; any other reason («не по адресу», «дубль
 * №12», «решено») rejects an appeal that was one. Pure.
 */

export type RejectCategory = 'not_appeal' | 'other';

/** Leading words that say «this is not an appeal», lower-case, ё as е. */
export const NOT_APPEAL_WORDS = ['не обращение', 'не жалоба', 'не заявка', 'спам', 'реклама', 'флуд', 'оффтоп', 'офтоп', 'болтовня', 'не по теме'] as const;

/** The category of a rejection reason: `not_appeal` when it starts with one of NOT_APPEAL_WORDS. */
export function rejectCategory(reason: string): RejectCategory {
  const text = reason.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trimStart();
  return NOT_APPEAL_WORDS.some((w) => text.startsWith(w) && !/[\p{L}\p{N}]/u.test(text.charAt(w.length))) ? 'not_appeal' : 'other';
}
