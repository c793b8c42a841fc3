/**
 * Generated hostile input for the fuzz test: huge, empty, binary, broken UTF-16, markup, SQL,
 * mentions, commands and forged callback data. Seeded, so a failure repeats.
 */
import { complaintText } from '../../../src/bench/texts.js';
import type { Prng } from '../../../src/emulator/prng.js';

const SQL = ["'); DROP TABLE incidents; --", "1' OR '1'='1", 'Robert"); DELETE FROM outbox WHERE (1=1', '%%_\\\\x00 UNION SELECT * FROM poll_cursors'];
const MARKUP = [
  '<b>жирный</b> <a href="javascript:alert(1)">ссылка</a>',
  '*жирный* _курсив_ [ссылка](http://x) `код`',
  '<script>alert(1)</script>',
  '&lt;&amp;&gt; </pre><i>',
  '\u202eRTL override\u202c',
  'зеро\u200bширина\u200d',
];
const MENTIONS = ['@otklik_bench_bot', '[club300001|Администрация]', '[id1|Павел]', '@all @here', '#хэштег #жкх'];
const COMMANDS = [
  '/start',
  '/help',
  '/accept 1',
  '/reject 1 спам',
  '/answer 999999 <b>готово</b>',
  '/report',
  '/announce всем <script>',
  '/accept -1',
  '/accept 1e309',
  `/accept ${'9'.repeat(400)}`,
  '/status abc',
  '/',
  '/@otklik_bench_bot',
  '/unknown_command аргумент',
];
const CALLBACKS = [
  'accept:1',
  'accept:999999999',
  'reject:1:<b>',
  "assign:1:'); DROP TABLE incidents; --",
  '',
  ' ',
  'x'.repeat(64),
  '{"action":"accept","id":1}',
  'accept:NaN',
  'accept:-1',
  '\u0000\u0001',
  'status:1:\ud800',
];

function randomCodeUnits(prng: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String.fromCharCode(Math.floor(prng.next() * 0x10000));
  return out;
}

/** Texts longer than this cannot come from VK or Telegram: the adapters skip them as broken answers. */
export const IMPOSSIBLE_TEXT_LENGTH = 65_536;

/** One hostile text of a kind chosen by the PRNG. */
export function hostileText(prng: Prng): string {
  const kind = Math.floor(prng.next() * 15);
  switch (kind) {
    case 0:
      return '';
    case 1:
      return ' \n\t\u00a0 ';
    case 2:
      return `${complaintText(prng)} ${'Очень длинная жалоба. '.repeat(2700)}`; // ~60 KB: kept, cut to the text limit
    case 13:
      return `${complaintText(prng)} ${'Очень длинная жалоба. '.repeat(5000)}`; // ~110 KB: longer than any platform sends
    case 3:
      return randomCodeUnits(prng, 1 + Math.floor(prng.next() * 300)); // binary, lone surrogates, NULs
    case 4:
      return `Нет воды \ud83d на Ленина 5 \udc00 третий день`; // lone surrogates inside a complaint
    case 5:
      return '😡😡😡🤬💩'.repeat(1 + Math.floor(prng.next() * 50));
    case 6:
      return `${prng.pick(MARKUP)} ${complaintText(prng)}`;
    case 7:
      return `${complaintText(prng)} ${prng.pick(SQL)}`;
    case 8:
      return `${prng.pick(MENTIONS)} ${complaintText(prng)}`;
    case 9:
      return prng.pick(COMMANDS);
    case 10:
      return '\u0000'.repeat(10) + complaintText(prng);
    case 11:
      return 'a'.repeat(20_000); // one huge word
    case 12:
      return `${prng.pick(COMMANDS)} ${prng.pick(SQL)} ${prng.pick(MARKUP)}`;
    default:
      return complaintText(prng);
  }
}

/** Forged callback data: what a modified client may send, none of it from a real button. */
export function forgedCallback(prng: Prng): string {
  return prng.next() < 0.7 ? prng.pick(CALLBACKS) : randomCodeUnits(prng, 1 + Math.floor(prng.next() * 80));
}
