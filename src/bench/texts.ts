/**
 * Realistic Russian message texts for benchmarks and load tests, generated in-repo: the demo
 * scenario's own messages plus seeded variations (problem × place × house × tone). No row of any
 * data set is copied here. The same seed always gives the same texts.
 */
import { DEMO_SCRIPT } from '../demo/scenario.js';
import { Prng } from '../emulator/prng.js';

const SETTLEMENTS = ['Зареченске', 'Сосновке', 'Берёзовке', 'Ключах', 'Красном Бору', 'Заречье'];
const STREETS = ['Ленина', 'Советской', 'Мира', 'Гагарина', 'Садовой', 'Заводской', 'Молодёжной', 'Школьной', 'Пушкина', 'Набережной', 'Центральной', 'Лесной'];

const PROBLEMS = [
  'нет горячей воды',
  'нет холодной воды',
  'из крана течёт ржавая вода',
  'батареи еле тёплые, в квартире 15 градусов',
  'не работает лифт',
  'во дворе огромная яма, машины бьют колёса',
  'дорогу совсем развезло, не пройти',
  'не вывозят мусор, контейнеры переполнены',
  'не горят фонари, вечером темно и страшно',
  'двор не чистят от снега, не выехать',
  'сломаны качели на детской площадке',
  'автобус опять не пришёл утром',
  'прорвало трубу, вода заливает подвал',
  'в подъезде пахнет газом',
  'на остановке разбито стекло',
  'сосулька висит над входом в подъезд',
];
const DURATIONS = ['уже неделю', 'третий день', 'с понедельника', 'второй месяц', 'с утра', 'который год'];
const ASKS = [
  'Примите меры!',
  'Просим разобраться.',
  'Куда обращаться?',
  'Управляющая компания не отвечает.',
  'Сколько можно терпеть?',
  'Помогите, пожалуйста.',
  'Заявку оставляли, толку ноль.',
  '',
];
const GREETINGS = ['', 'Здравствуйте! ', 'Добрый день. ', 'Уважаемая администрация, '];

const OTHER = [
  'Спасибо за новости!',
  'Хорошая работа, молодцы 👍',
  'Всем доброе утро ☀️',
  'Подскажите, во сколько сегодня работает МФЦ?',
  'Кто-нибудь знает, где купить ёлку?',
  'ахахах ну ты даёшь 😂',
  'Пластиковые окна со скидкой 50%! Звоните 8-900-000-00-00',
  'Согласен с предыдущим комментарием',
  'Красиво сделали, приятно посмотреть',
  'Сегодня в парке концерт в 17:00, приходите!',
  'Вот это снегопад сегодня, красота ❄️',
  'Купите биткоин пока не поздно!!! Ссылка в профиле',
];

/** The demo scenario's citizen messages without label placeholders: the hand-written seed corpus. */
function demoTexts(): string[] {
  return DEMO_SCRIPT.flatMap((step) => (step.kind === 'message' && !step.text.includes('{') ? [step.text] : []));
}

/** A generated complaint naming a settlement, a street and a house. */
export function complaintText(prng: Prng): string {
  const house = 1 + Math.floor(prng.next() * 60);
  return `${prng.pick(GREETINGS)}В ${prng.pick(SETTLEMENTS)} на ${prng.pick(STREETS)} ${house} ${prng.pick(DURATIONS)} ${prng.pick(PROBLEMS)}. ${prng.pick(ASKS)}`.trim();
}

/** A generated message that is not an appeal: thanks, chatter, questions, advertising. */
export function otherText(prng: Prng): string {
  return prng.pick(OTHER);
}

/**
 * `count` texts: about `complaintShare` generated complaints, the rest chatter and the demo's own
 * messages (which mix both), in a seeded order.
 */
export function mixedTexts(count: number, opts: { seed?: number; complaintShare?: number } = {}): string[] {
  const prng = new Prng(opts.seed ?? 7);
  const share = opts.complaintShare ?? 0.3;
  const demo = demoTexts();
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = prng.next();
    if (roll < share) out.push(complaintText(prng));
    else if (roll < share + (1 - share) / 2) out.push(prng.pick(demo));
    else out.push(otherText(prng));
  }
  return out;
}
