/**
 * CSV as RFC 4180 says, for spreadsheets: records ended by CRLF, a field quoted when it holds the
 * separator, a quote, CR or LF (quotes doubled inside). Pure. The separator is `;` by default:
 * Excel in a Russian locale (where `,` is the decimal mark) splits a file on `;` and would read a
 * comma-separated one into a single column.
 *
 * Excel needs two more things: a UTF-8 byte order mark, or it reads Cyrillic as cp1251 garbage;
 * and defence against formula injection: a citizen's text starting with `=`, `+`, `-`, `@`, tab
 * or CR would run as a formula when an analyst opens the file, so such text gets a leading
 * apostrophe (OWASP's advice). Numbers are written as numbers, with a decimal comma.
 */

export type CsvCell = string | number | boolean | null | undefined;

/** The UTF-8 byte order mark, as the first character of the file. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The field separator Russian Excel expects. */
export const CSV_SEPARATOR = ';';

/** One field: null and undefined are empty; booleans are «да»/«нет»; strings are neutralised and quoted as needed. */
export function csvField(value: CsvCell, separator = CSV_SEPARATOR): string {
  if (value === null || value === undefined) return '';
  // Russian Excel reads a decimal comma: 2,5 is a number there, 2.5 a date or text.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly CsvCell[], separator = CSV_SEPARATOR): string {
  return `${cells.map((cell) => csvField(cell, separator)).join(separator)}\r\n`;
}

/** A whole document: the header record, then the rows; with the BOM unless `bom: false`, `;`-separated unless told otherwise. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>, options: { bom?: boolean; separator?: string } = {}): string {
  const separator = options.separator ?? CSV_SEPARATOR;
  let out = ((options.bom ?? true) ? UTF8_BOM : '') + csvRecord(header, separator);
  for (const row of rows) out += csvRecord(row, separator);
  return out;
}

/** Several tables in one document (a dashboard): each its header record and rows, an empty record between them; one BOM. */
export function toCsvSections(sections: readonly { header: readonly string[]; rows: Iterable<readonly CsvCell[]> }[]): string {
  return sections.map((section, i) => toCsv(section.header, section.rows, { bom: i === 0 })).join('\r\n');
}
