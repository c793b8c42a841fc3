/**
 * CSV as RFC 4180 says, for spreadsheets: fields separated by commas, records ended by CRLF, a
 * field quoted when it holds a comma, a quote, CR or LF (quotes doubled inside). Pure.
 *
 * Excel needs two more things: a UTF-8 byte order mark, or it reads Cyrillic as cp1251 garbage;
 * and defence against formula injection: a citizen's text starting with `=`, `+`, `-`, `@`, tab
 * or CR would run as a formula when an analyst opens the file, so such text gets a leading
 * apostrophe (OWASP's advice). Numbers are written as numbers and never altered.
 */

export type CsvCell = string | number | boolean | null | undefined;

/** The UTF-8 byte order mark, as the first character of the file. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: null and undefined are empty; booleans are `yes`/`no`; strings are neutralised and quoted as needed. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** A whole document: the header record, then the rows; with the BOM unless `bom: false`. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>, options: { bom?: boolean } = {}): string {
  let out = (options.bom ?? true ? UTF8_BOM : '') + csvRecord(header);
  for (const row of rows) out += csvRecord(row);
  return out;
}
