import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, toCsv, UTF8_BOM } from '../../../src/reports/csv.js';

describe('csv (RFC 4180, for Russian Excel)', () => {
  it('should quote a field holding the separator, a quote, CR or LF, doubling inner quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('a,b')).toBe('a,b');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('he said "no"')).toBe('"he said ""no"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('should write empty fields for null and undefined, numbers with a decimal comma, booleans as да/нет', () => {
    expect(csvRecord([null, undefined, 42, -3.5, true, false, Number.NaN])).toBe(';;42;-3,5;да;нет;\r\n');
    expect(csvRecord([1, 'a'], ',')).toBe('1,a\r\n');
  });

  it('should neutralise text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil","клик")')).toBe('"\'=HYPERLINK(""http://evil"",""клик"")"');
    expect(csvField('+7 900 000-00-00')).toBe("'+7 900 000-00-00");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('нет воды = беда')).toBe('нет воды = беда');
  });

  it('should start the document with the UTF-8 BOM and end every record with CRLF', () => {
    const doc = toCsv(
      ['number', 'text'],
      [
        [1, 'Нет воды, третий день'],
        [2, 'ок'],
      ],
    );
    expect(doc.startsWith(UTF8_BOM)).toBe(true);
    expect(doc).toBe(`${UTF8_BOM}number;text\r\n1;Нет воды, третий день\r\n2;ок\r\n`);
    expect(toCsv(['a'], [], { bom: false })).toBe('a\r\n');
  });
});
