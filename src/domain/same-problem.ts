/**
 * Whether two reports of the same topic and place describe the same problem. With the taxonomy's
 * problems on both, it is their equality. Without, topics are broad
 * (ЖКХ covers heating, water and lifts), so «нет воды на Ленина» and «холодные батареи на
 * Ленина» must stay two incidents while «нет воды на Ленина» and «Ленина 5 без воды» become one.
 * Pure and cheap: the texts must share a content word, compared by a common prefix so that
 * Russian endings do not matter (воды/вода/водоснабжение, батареи/батарея, мусор/мусора).
 */
import type { PlaceMatch } from './detection.js';

/** Words that appear in any complaint and say nothing about which problem it is. */
const FILLER = new Set(
  (
    'нет не ни на в во и а но или у с со к по от до за из что это как так уже все всё нас вас нам они его она оно там тут где кто ' +
    'при без для над под про ещё еще даже тоже очень опять снова когда сколько можно почему просим прошу помогите примите меры ' +
    'дом дома доме домов улица улице улицы улицу ул здравствуйте добрый день дня дней неделю недели неделя месяц месяца утра утром ' +
    'вечером ночью сегодня вчера третий второй третью вторую который которая какой такой этот этом этой будет есть было была были ' +
    'совсем вообще ничего никто никакого жители жителей люди сделайте разберитесь срочно пожалуйста спасибо город города городе района ' +
    'район случилось работает работают работал работала работали'
  ).split(' '),
);

function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/ё/g, 'е')
      .match(/\p{L}+/gu) ?? []
  ).filter((w) => w.length >= 3 && !FILLER.has(w));
}

/** Two words are one if they share a prefix of the shorter word's length less one, between 2 and 5 letters. */
function related(a: string, b: string): boolean {
  const need = Math.max(2, Math.min(5, Math.min(a.length, b.length) - 1));
  return a.slice(0, need) === b.slice(0, need);
}

/** The words of a report that name its problem: no filler, no words of the place itself. */
export function problemWords(text: string, place: PlaceMatch | null): string[] {
  const placeWords = words(`${place?.street ?? ''} ${place?.settlement ?? ''}`);
  return words(text).filter((w) => !placeWords.some((p) => related(w, p)));
}

/**
 * Do two reports (already of one topic and place) name the same problem? When both carry a
 * problem of the taxonomy, they do exactly when it is the same one («нет горячей воды» and
 * «горячей воды нет» are one; «нет воды» and «прорвало трубу» are two, whatever words they share);
 * otherwise they must share a word about the problem.
 */
export function sameProblem(a: Report, b: Report): boolean {
  const problems = [a.problem ?? null, b.problem ?? null];
  if (problems[0] !== null && problems[1] !== null) return problems[0] === problems[1];
  const left = problemWords(a.text, a.place);
  const right = problemWords(b.text, b.place);
  return left.some((x) => right.some((y) => related(x, y)));
}

/** A report as same-problem reads it; `problem` is the taxonomy's problem id when one was named. */
export interface Report {
  text: string;
  place: PlaceMatch | null;
  problem?: string | null;
}
