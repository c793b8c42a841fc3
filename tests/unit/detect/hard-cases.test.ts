import { describe, expect, it } from 'vitest';
import { shippedDetector } from './detector-fixture.js';

/**
 * Hard cases written for this project: short, noisy VK-style comments that the portal data
 * does not cover. They run against the shipped config and model, as the bot would.
 */
const detector = shippedDetector();
const detect = (text: string, municipalityId?: string) => detector.detect(text, municipalityId ? { municipalityId } : undefined);

describe('short complaints', () => {
  it.each([
    ['Яма на дороге', 'roads'],
    ['опять нет воды', 'housing'],
    ['Третий день нет света!!!', 'housing'],
    ['Мусор не вывозят две недели', 'waste'],
    ['Во дворе не горят фонари', 'improvement'],
    ['Автобус 12 опять не пришёл', 'transport'],
    ['Лифт не работает уже неделю', 'housing'],
    ['Батареи холодные, в квартире 15 градусов', 'housing'],
    ['Пенсию не принесли уже неделю', 'social'],
    ['На остановке разбито стекло', 'transport'],
    ['В поликлинике не дозвониться до регистратуры', 'health'],
    ['Интернет опять лежит третий день', 'communications'],
  ])('should register «%s» as a complaint about %s', (text, topic) => {
    const d = detect(text);
    expect(d.kind, d.reasons.join('; ')).toBe('complaint');
    expect(d.isAppeal).toBe(true);
    expect(d.topic).toBe(topic);
  });

  // Topics the portal data has no or almost no examples of: their words must win over the model's guess.
  it.each([
    ['Интернет от Ростелекома не работает неделю', 'communications'],
    ['В деревне нет сотовой связи, скорую не вызвать', 'communications'],
    ['Связи нет третий день, когда почините?', 'communications'],
    ['Со связью проблемы уже неделю, примите меры', 'communications'],
    ['Не могу попасть на прием к терапевту', 'health'],
    ['Стая бродячих собак во дворе, дети боятся выходить', 'ecology'],
    ['Записаться к педиатру невозможно, талонов нет', 'health'],
    ['В поликлинике нет терапевта второй месяц', 'health'],
    ['В садике нет мест, очередь третий год', 'education'],
    ['Учитель кричит на детей, директор не реагирует', 'education'],
    ['Не выплатили детское пособие за октябрь', 'social'],
    ['Соцзащита не отвечает, субсидию не пересчитали', 'social'],
    ['Драка у магазина каждый вечер, полиция не едет', 'safety'],
    ['Автобус 105 не ходит по расписанию', 'transport'],
    ['Табло на остановке не работает', 'transport'],
    ['Незаконная торговля у метро', 'other'],
  ])('should put «%s» under %s', (text, topic) => {
    const d = detector.analyse(text, undefined, { alwaysTopic: true });
    expect(d.topicIfAppeal, d.detection.reasons.join('; ')).toBe(topic);
  });

  // Known misses, kept visible: a single topic word of a rare topic does not outweigh a model that learnt from a
  // region's real complaints (62 about ecology, 32 about safety, none about the post). `it.fails` turns red the day they pass.
  it.fails.each([
    ['Почту не приносят месяц', 'communications'],
    ['Из трубы завода чёрный дым, дышать невозможно', 'ecology'],
    ['Наркоманы в подъезде, закладки в клумбах', 'safety'],
  ])('should put «%s» under %s (a known miss)', (text, topic) => {
    expect(detector.analyse(text, undefined, { alwaysTopic: true }).topicIfAppeal).toBe(topic);
  });

  it("should not read «приемная» (an office) as a doctor's appointment, or a contact phone as a topic", () => {
    expect(detector.analyse('Приемная администрации не отвечает', undefined, { alwaysTopic: true }).topicIfAppeal).not.toBe('health');
    expect(detector.analyse('Телефон для связи 89001234567, течёт крыша', undefined, { alwaysTopic: true }).topicIfAppeal).toBe('housing');
  });

  it('should survive noise: caps, Latin look-alikes, stretched letters, emoji', () => {
    const d = detect('НЕТ ВОДЫЫЫЫ на Мира 8 😡😡 сkолько можно!!!');
    expect(d.kind).toBe('complaint');
    expect(d.urgency).toBe('emergency');
    expect(d.place).toMatchObject({ street: 'Мира', house: '8', municipalityId: 'zarechensk' });
  });
});

describe('sarcasm and politeness', () => {
  it('should read «спасибо, что опять нет воды» as a complaint, not thanks', () => {
    const d = detect('Спасибо, что опять нет воды');
    expect(d.kind).toBe('complaint');
    expect(d.verdict).toBe('reply');
    expect(d.reasons.join(' ')).toContain('сарказм');
  });

  it('should keep a polite request with «заранее спасибо» an appeal', () => {
    const d = detect('Просьба заделать яму на дороге у дома 5 на Садовой. Заранее спасибо');
    expect(d.isAppeal).toBe(true);
    expect(d.topic).toBe('roads');
  });
});

describe('not appeals', () => {
  it.each([
    'Спасибо за оперативную работу!',
    'Хорошие новости, спасибо!',
    'Спасибо вам большое за помощь с дорогой, всё сделали быстро!',
    'Молодцы, так держать 👍',
    'Отличный репортаж',
    'Ура, дали воду!',
    'Слава России!',
    'С наступающим Новым годом!',
    'Всем доброе утро ☀️',
    'Привет всем!',
    'ахахах ну ты даёшь 😂',
    'Продаю дрова берёзовые колотые, доставка по району.',
    'Пластиковые окна со скидкой 50%! Звоните 8-900-000-00-00',
    'Заработок от 5000 в день, пишите в лс',
    'Кто-нибудь знает, во сколько открывается рынок?',
    'Добрый день! Ваше обращение передано в управляющую компанию, работы будут выполнены до 25 ноября.',
    'Уважаемый заявитель! Сообщаем, что по вашему обращению проведена проверка, нарушения устранены.',
    'мои обращения',
    'статус 12',
    '/list',
    '👍👍👍',
    '.',
    '',
  ])('should not register «%s»', (text) => {
    const d = detect(text);
    expect(d.isAppeal, `${d.score} ${d.reasons.join('; ')}`).toBe(false);
    expect(d.verdict).toBe('ignore');
    expect(d.topic).toBeNull();
  });
});

describe('short texts the model alone likes', () => {
  it.each(['Жду ответа', 'Ответьте пожалуйста'])('should not reply publicly to «%s» with no problem named', (text) => {
    expect(detect(text).verdict).not.toBe('reply');
  });

  it('should still register residents talking about a real problem', () => {
    const d = detect('Ребят, нет света на Мира?');
    expect(d.isAppeal).toBe(true);
    expect(d.urgency).toBe('emergency');
  });
});

describe('questions to the authorities', () => {
  it.each(['Подскажите, как узнать расписание автобусов на выходные?', 'Добрый день! Во сколько сегодня работает МФЦ?'])(
    'should show «%s» to moderators as a request without a public reply',
    (text) => {
      const d = detect(text);
      expect(d.kind).toBe('request');
      expect(d.verdict).toBe('review');
    },
  );
});

describe('other languages', () => {
  it.each([
    ['Дякую за інформацію, чекаємо на тепло в оселях.', 'ukr'],
    ['Дзякуй вам вялікі за працу, усё зроблена хутка', 'bel'],
    ['Рахмет! Жақсы жаңалық.', 'kaz'],
    ['Thank you for the courses, very useful for my mother.', 'eng'],
    ['Яма на дороге', 'rus'],
  ])('should tell the language of «%s» as %s', (text, language) => {
    expect(detect(text).language).toBe(language);
  });

  it('should not reply publicly to a complaint in Ukrainian but show it to moderators', () => {
    const d = detect('Немає води третій день, допоможіть!');
    expect(d.language).toBe('ukr');
    expect(d.verdict).toBe('review');
  });

  it('should not register thanks in Ukrainian, Kazakh or English', () => {
    for (const text of ['Дякую за інформацію!', 'Рахмет! Жақсы жаңалық.', 'Thank you, great job!']) expect(detect(text).isAppeal, text).toBe(false);
  });
});

describe('urgency', () => {
  it.each([
    'Нет воды на Ленина 20',
    'В подъезде сильно пахнет газом',
    'Прорвало трубу в подвале, всё затопило',
    'Третий день без отопления, дети мёрзнут',
    'Дорогу перекрыли, скорая не может проехать',
    'Во дворе оборван провод, дети могут пораниться',
    'Над входом в подъезд висит огромная сосулька',
  ])('should mark «%s» an emergency', (text) => {
    const d = detect(text);
    expect(d.isAppeal).toBe(true);
    expect(d.urgency).toBe('emergency');
  });

  it('should keep lukewarm radiators and a pothole normal', () => {
    expect(detect('Еле тёплые батареи в квартире, примите меры').urgency).toBe('normal');
    expect(detect('Яма на дороге').urgency).toBe('normal');
  });
});

describe('place', () => {
  it('should route «В Зареченске на ул. Ленина 12» to zarechensk with street and house', () => {
    expect(detect('В Зареченске на ул. Ленина 12 холодные батареи').place).toEqual({
      municipalityId: 'zarechensk',
      settlement: 'Зареченск',
      street: 'Ленина',
      house: '12',
    });
  });

  it('should match streets in any case ending and with «д.»', () => {
    expect(detect('Не вывозят мусор, ул. Ленина, д. 5').place).toMatchObject({ street: 'Ленина', house: '5' });
    expect(detect('Во дворе на Молодёжной 7 не чистят снег').place).toMatchObject({ street: 'Молодёжная', house: '7', municipalityId: 'zarechensk' });
    expect(detect('В Берёзовке нет света с утра').place).toMatchObject({ settlement: 'Берёзовка', municipalityId: 'sosnovka' });
    expect(detect('В Красном Бору нет связи').place).toMatchObject({ settlement: 'Красный Бор', municipalityId: 'sosnovka' });
  });

  it('should not take ordinary words for places', () => {
    // «мира» (peace), «новая», «ключи» (keys) are streets or villages only with a marker, number or capital letter.
    expect(detect('Потерял ключи от подъезда, нет ни мира ни покоя, новая дверь не открывается').place).toBeNull();
  });

  it("should prefer the source community's municipality for a street both could have", () => {
    expect(detect('Нет воды на Ленина 20', 'zarechensk').place?.municipalityId).toBe('zarechensk');
  });
});

describe('reasons', () => {
  it('should tell moderators which words and rules fired', () => {
    const d = detect('Спасибо, что опять нет горячей воды на Набережной 2');
    const reasons = d.reasons.join(' | ');
    expect(reasons).toContain('нет воды');
    expect(reasons).toContain('тема «ЖКХ»');
    expect(reasons).toContain('срочно');
  });
});
