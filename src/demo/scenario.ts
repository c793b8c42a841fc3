/**
 * The demo's stream: realistic messages a regional centre gets in an ordinary morning, written
 * for this project (not taken from any data set). Complaints about water, heating, roads,
 * rubbish, transport, lighting and snow; thanks, questions (FAQ answers and one a moderator
 * answers), advertising, chatter, a few in other languages; additions and a citizen with two
 * different problems; a burst of «нет воды» reports from one town; and moderators working incidents.
 */

export interface DemoPerson {
  id: number;
  firstName: string;
  lastName: string;
}

export type DemoPlace =
  /** A comment under the community's post `post` (index into DEMO_POSTS of that community). */
  | { kind: 'vk_comment'; groupId: number; post: number; replyTo?: string }
  /** A message to the community's chat-bot. */
  | { kind: 'vk_message'; groupId: number }
  /** A message in a Telegram group chat. */
  | { kind: 'tg_group'; chatId: number; replyTo?: string }
  /** A private message to the Telegram bot. */
  | { kind: 'tg_private' }
  /** A message in the MAX house chat of a building. */
  | { kind: 'max_chat' }
  /** A comment under the MAX channel's post. */
  | { kind: 'max_comment' };

/** What a citizen sends besides words: photos (one per Telegram message; several in VK) and a location. */
export interface DemoMedia {
  photos?: number;
  /** A Telegram location message has no text; in VK it goes with the message. */
  location?: { lat: number; lon: number };
}

export type DemoStep =
  | { kind: 'message'; label?: string; place: DemoPlace; from: DemoPerson; text: string; media?: DemoMedia }
  /** A moderator's command in the moderators' Telegram chat. */
  | { kind: 'command'; from: DemoPerson; text: string }
  /** A moderator presses a button on the newest card of the incident registered for message `label`. */
  | { kind: 'press'; from: DemoPerson; label: string; action: 'accept' | 'answer' | 'ask' | 'reject' | 'assign' | 'close' }
  /** A moderator answers, with a Telegram reply, the bot's newest prompt under the card of the incident of message `label`. */
  | { kind: 'prompt_reply'; from: DemoPerson; label: string; text: string }
  /** Wait for the bot to catch up (acknowledgements delivered) before going on. */
  | { kind: 'settle' }
  /**
   * Run a scheduled job now, as its schedule would: 'spikes' (risk alerts) right after a burst;
   * 'digest' after moving the bot's clock to 09:00 the next morning, when the daily digest of
   * the demo's day goes out. Then wait for what it sent.
   */
  | { kind: 'job'; job: 'spikes' | 'digest' };

export const REGION_GROUP = 210001;
export const ZARECHENSK_GROUP = 210002;
export const SOSNOVKA_GROUP = 210003;
export const ZARECHENSK_CHAT = -1001000000001;
export const MODERATORS_CHAT = -1001000000099;

export const DEMO_POSTS: Record<number, string[]> = {
  [REGION_GROUP]: [
    'Губернатор провёл совещание по подготовке к отопительному сезону. Рассказываем о главных решениях.',
    'Открыта запись на бесплатные курсы цифровой грамотности для пенсионеров.',
  ],
  [ZARECHENSK_GROUP]: [
    'Уважаемые жители! В городе продолжается уборка снега. Просим не оставлять автомобили вдоль дорог.',
    'Сегодня в Зареченске открылась обновлённая библиотека на ул. Мира.',
    'График вывоза мусора на декабрь опубликован на сайте администрации.',
  ],
  [SOSNOVKA_GROUP]: ['Новости района: в Берёзовке завершён ремонт дома культуры.'],
};

const P = (id: number, firstName: string, lastName: string): DemoPerson => ({ id, firstName, lastName });

export const CITIZENS = {
  marina: P(100101, 'Марина', 'Соколова'),
  ivan: P(100102, 'Иван', 'Петров'),
  olga: P(100103, 'Ольга', 'Кузнецова'),
  sergey: P(100104, 'Сергей', 'Волков'),
  natalia: P(100105, 'Наталья', 'Морозова'),
  alexey: P(100106, 'Алексей', 'Лебедев'),
  elena: P(100107, 'Елена', 'Новикова'),
  pavel: P(100108, 'Павел', 'Фёдоров'),
  tatiana: P(100109, 'Татьяна', 'Егорова'),
  dmitry: P(100110, 'Дмитрий', 'Орлов'),
  svetlana: P(100111, 'Светлана', 'Павлова'),
  nikolay: P(100112, 'Николай', 'Семёнов'),
  vera: P(100113, 'Вера', 'Захарова'),
  andrey: P(100114, 'Андрей', 'Зайцев'),
  yulia: P(100115, 'Юлия', 'Соловьёва'),
  mykola: P(100116, 'Микола', 'Ковальчук'),
  aigul: P(100117, 'Айгуль', 'Сарсенова'),
  spammer: P(100118, 'Лучшие', 'Окна'),
  roman: P(100119, 'Роман', 'Виноградов'),
  galina: P(100120, 'Галина', 'Белова'),
  kirill: P(100121, 'Кирилл', 'Макаров'),
  lyudmila: P(100122, 'Людмила', 'Козлова'),
  artem: P(100123, 'Артём', 'Николаев'),
  zoya: P(100124, 'Зоя', 'Григорьева'),
};

export const MODERATORS = {
  regional: P(9001, 'Анна', 'Региональная'),
  zarechensk: P(9002, 'Олег', 'Зареченский'),
  sosnovka: P(9003, 'Ирина', 'Сосновская'),
};

const c = CITIZENS;
const wall = (groupId: number, post: number, replyTo?: string): DemoPlace =>
  replyTo ? { kind: 'vk_comment', groupId, post, replyTo } : { kind: 'vk_comment', groupId, post };
const dialog = (groupId: number): DemoPlace => ({ kind: 'vk_message', groupId });
const chat: DemoPlace = { kind: 'tg_group', chatId: ZARECHENSK_CHAT };
const bot: DemoPlace = { kind: 'tg_private' };
const house: DemoPlace = { kind: 'max_chat' };
const maxComment: DemoPlace = { kind: 'max_comment' };

/** The MAX house chat of a building in Zarechensk and the administration's MAX channel (the demo adds them to the config). */
export const DEMO_MAX = {
  houseChat: { chatId: -70_000_000_010, title: 'Дом Ленина 5 (MAX)', municipalityId: 'zarechensk' },
  channel: { chatId: -70_000_000_020, title: 'Администрация Зареченска (MAX)', municipalityId: 'zarechensk' },
  post: 'Плановое отключение горячей воды 12–14 ноября: график по улицам.',
} as const;

export const DEMO_SCRIPT: DemoStep[] = [
  {
    kind: 'message',
    label: 'heating',
    place: wall(REGION_GROUP, 0),
    from: c.marina,
    text: 'В Зареченске на ул. Ленина 12 уже неделю еле тёплые батареи, в квартире 16 градусов. Управляющая компания трубку не берёт. Примите меры!',
  },
  { kind: 'message', place: wall(REGION_GROUP, 0), from: c.ivan, text: 'Хорошие новости, спасибо!' },
  {
    kind: 'message',
    label: 'pothole',
    place: wall(ZARECHENSK_GROUP, 0),
    from: c.olga,
    text: 'На перекрёстке Советской и Гагарина огромная яма, вчера две машины пробили колёса. Когда отремонтируют?',
    media: { photos: 2 },
  },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 0), from: c.sergey, text: 'Всем доброе утро ☀️' },
  {
    kind: 'message',
    label: 'snow',
    place: wall(ZARECHENSK_GROUP, 0),
    from: c.natalia,
    text: 'Во дворе дома на Молодёжной 7 снег не чистили с понедельника, к подъезду не пройти, пожилые люди сидят дома.',
  },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 1), from: c.alexey, text: 'Был вчера в библиотеке, очень красиво сделали. Молодцы!' },
  {
    kind: 'message',
    label: 'garbage',
    place: wall(ZARECHENSK_GROUP, 2),
    from: c.elena,
    text: 'Какой график, если контейнеры на Садовой 3 не вывозят уже десять дней? Мусор лежит горой вокруг площадки, крысы бегают.',
  },
  {
    kind: 'message',
    place: wall(ZARECHENSK_GROUP, 2),
    from: c.spammer,
    text: 'Пластиковые окна со скидкой 50%! Замер бесплатно, звоните 8-900-000-00-00, пишите в лс',
  },
  {
    kind: 'message',
    label: 'bus',
    place: wall(REGION_GROUP, 1),
    from: c.pavel,
    text: 'Автобус №5 из Сосновки в Зареченск опять не пришёл утром, люди стояли на остановке час на морозе. Сколько можно?',
  },
  { kind: 'message', label: 'courses-question', place: wall(REGION_GROUP, 1), from: c.tatiana, text: 'Подскажите, а где можно записаться на эти курсы?' },
  {
    kind: 'message',
    label: 'light',
    place: dialog(ZARECHENSK_GROUP),
    from: c.dmitry,
    text: 'Здравствуйте. На улице Пушкина от дома 10 до 24 не горят фонари уже две недели, вечером идти страшно, дети ходят из школы в темноте.',
  },
  { kind: 'message', place: dialog(ZARECHENSK_GROUP), from: c.svetlana, text: 'Добрый день! Во сколько сегодня работает МФЦ?' },
  {
    kind: 'message',
    label: 'sosnovka-road',
    place: wall(SOSNOVKA_GROUP, 0),
    from: c.nikolay,
    text: 'Дорогу между Берёзовкой и Ключами совсем развезло, школьный автобус не может проехать. Просим отсыпать дорогу.',
  },
  { kind: 'message', place: wall(SOSNOVKA_GROUP, 0), from: c.vera, text: 'Наконец-то! Дом культуры стал как новый 👍' },
  { kind: 'message', label: 'tg-water', place: chat, from: c.andrey, text: 'На Заводской 15 из крана течёт ржавая вода, пить невозможно. Куда обращаться?' },
  { kind: 'message', place: chat, from: c.yulia, text: 'Кто-нибудь знает, во сколько сегодня открывается рынок?' },
  { kind: 'message', place: chat, from: c.roman, text: 'ахахах ну ты даёшь 😂' },
  {
    kind: 'message',
    label: 'tg-private-yard',
    place: bot,
    from: c.galina,
    text: 'Добрый день. Во дворе дома Школьная 4 сломаны качели на детской площадке, торчат острые края, дети могут пораниться.',
  },
  { kind: 'message', place: bot, from: c.kirill, text: 'Привет, бот! Ты настоящий?' },
  {
    kind: 'message',
    label: 'max-house',
    place: house,
    from: P(100401, 'Вадим', 'Орлов'),
    text: 'В доме на Ленина 5 в Зареченске третий день не работает домофон и дверь подъезда не закрывается. УК не отвечает.',
  },
  { kind: 'message', place: house, from: P(100402, 'Ольга', 'Семенова'), text: 'Соседи, кто завтра идёт на собрание?' },
  {
    kind: 'message',
    label: 'max-comment',
    place: maxComment,
    from: P(100403, 'Денис', 'Павлов'),
    text: 'На Садовой 8 в Зареченске горячей воды нет уже неделю, а в графике отключение только до 14-го!',
  },
  { kind: 'message', place: wall(REGION_GROUP, 0), from: c.mykola, text: 'Дякую за інформацію, чекаємо на тепло в оселях.' },
  { kind: 'message', place: wall(REGION_GROUP, 0), from: c.aigul, text: 'Рахмет! Жақсы жаңалық.' },
  { kind: 'message', place: wall(REGION_GROUP, 1), from: c.lyudmila, text: 'Thank you for the courses, very useful for my mother.' },
  {
    kind: 'message',
    label: 'sarcasm',
    place: wall(ZARECHENSK_GROUP, 0),
    from: c.artem,
    text: 'Спасибо, что опять нет горячей воды на Набережной 2, уже третий день. Отличная работа 👏',
  },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 0), from: c.zoya, text: '🤬🤬🤬' },
  {
    kind: 'message',
    label: 'elevator',
    place: dialog(REGION_GROUP),
    from: P(100301, 'Борис', 'Андреев'),
    text: 'В Зареченске на Победы 17 второй месяц не работает лифт, а у нас девятый этаж и мама после операции. УК только обещает.',
  },
  { kind: 'message', place: wall(REGION_GROUP, 1), from: P(100302, 'Инна', 'Королёва'), text: 'Отличная инициатива! Моя бабушка уже записалась 😊' },
  {
    kind: 'message',
    label: 'clinic',
    place: wall(REGION_GROUP, 0),
    from: P(100303, 'Ринат', 'Хасанов'),
    text: 'В поликлинике Зареченска невозможно записаться к терапевту, электронная очередь на месяц вперёд, по телефону не дозвониться.',
  },
  { kind: 'message', place: wall(REGION_GROUP, 0), from: P(100304, 'Фёдор', 'Крылов'), text: 'Опять отчёты о совещаниях, лучше бы дороги сделали' },
  {
    kind: 'message',
    label: 'kindergarten',
    place: dialog(SOSNOVKA_GROUP),
    from: P(100305, 'Ксения', 'Баранова'),
    text: 'Здравствуйте! В детском саду в Сосновке на Центральной 3 третью неделю холодно в группах, дети болеют. Просим разобраться.',
  },
  {
    kind: 'message',
    place: dialog(SOSNOVKA_GROUP),
    from: P(100306, 'Геннадий', 'Гусев'),
    text: 'Спасибо вам большое за помощь с дорогой, всё сделали быстро!',
  },
  {
    kind: 'message',
    label: 'dogs',
    place: chat,
    from: P(100307, 'Анастасия', 'Романова'),
    text: 'Возле школы на Школьной стая бездомных собак, кидаются на детей. Сколько можно ждать, пока кого-нибудь покусают?',
  },
  { kind: 'message', place: chat, from: P(100308, 'Максим', 'Воробьёв'), text: 'Сегодня в парке концерт в 17:00, приходите!' },
  {
    kind: 'message',
    label: 'internet',
    place: wall(SOSNOVKA_GROUP, 0),
    from: P(100309, 'Людмила', 'Сергеева'),
    text: 'В Красном Бору нет мобильной связи и интернета уже неделю, даже скорую не вызвать.',
  },
  { kind: 'message', place: wall(SOSNOVKA_GROUP, 0), from: P(100310, 'Вадим', 'Козлов'), text: 'Купите биткоин пока не поздно!!! Ссылка в профиле' },
  { kind: 'message', place: bot, from: P(100311, 'Пётр', 'Михайлов'), text: 'Подскажите, как узнать расписание автобусов на выходные?' },
  {
    kind: 'message',
    label: 'gas',
    place: bot,
    from: P(100312, 'Евгения', 'Алексеева'),
    text: 'Срочно! В подъезде дома на Гагарина 9 сильно пахнет газом, соседи не открывают.',
  },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 1), from: P(100313, 'Денис', 'Степанов'), text: 'А книги новые тоже завезли?' },
  {
    kind: 'message',
    label: 'crossing',
    place: wall(ZARECHENSK_GROUP, 0),
    from: P(100314, 'Валентина', 'Николаева'),
    text: 'Разметку пешеходного перехода у школы №2 на Комсомольской совсем не видно, машины не останавливаются. Нужен светофор!',
  },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 0), from: P(100315, 'Олег', 'Павлов'), text: 'Согласен с предыдущим комментарием 👍👍' },
  { kind: 'message', place: chat, from: P(100316, 'Jan', 'Kowalski'), text: 'Hello everyone, is there a good cafe near the station?' },
  {
    kind: 'message',
    place: wall(REGION_GROUP, 1),
    from: P(100317, 'Таисия', 'Ильина'),
    text: 'Здравствуйте, а для людей с инвалидностью есть льготы на эти курсы?',
  },
  {
    kind: 'message',
    label: 'trees',
    place: wall(REGION_GROUP, 0),
    from: P(100318, 'Михаил', 'Гордеев'),
    text: 'На Набережной в Зареченске вырубают здоровые деревья в сквере без всякого объявления, жители против!',
  },
  { kind: 'message', place: dialog(REGION_GROUP), from: P(100319, 'Ирина', 'Власова'), text: '.' },
  { kind: 'message', place: chat, from: P(100320, 'Семён', 'Кравцов'), text: 'Вот это снегопад сегодня, красота ❄️' },
  { kind: 'settle' },
  { kind: 'settle' },
  // Follow-ups: the same author adds detail in the same thread; no new incident.
  { kind: 'message', place: wall(REGION_GROUP, 0, 'heating'), from: c.marina, text: 'Уточняю: подъезд 2, квартира 45. Заявку в УК оставляла 14 ноября.' },
  { kind: 'message', place: chat, from: c.andrey, text: 'Фото прикладываю, вода как чай. Уже третий день так.', media: { photos: 1 } },
  // A complaint without a place, then a location: the place comes from the nearest gazetteer street with coordinates.
  {
    kind: 'message',
    label: 'steam',
    place: bot,
    from: P(100321, 'Лидия', 'Фомина'),
    text: 'Во дворе прорвало трубу теплотрассы, из-под земли бьёт кипяток и валит пар, дети ходят рядом!',
  },
  { kind: 'settle' },
  { kind: 'message', place: bot, from: P(100321, 'Лидия', 'Фомина'), text: '', media: { location: { lat: 56.9057, lon: 40.4986 } } },
  // A photo without a word from someone with nothing open: the moderators look at it.
  { kind: 'message', place: chat, from: P(100322, 'Глеб', 'Сидоров'), text: '', media: { photos: 1 } },
  // The same citizen, a different problem under the same post: its own incident, not an addition to the rubbish.
  {
    kind: 'message',
    label: 'garbage-light',
    place: wall(ZARECHENSK_GROUP, 2),
    from: c.elena,
    text: 'И ещё: на Садовой у дома 3 второй месяц не горит ни один фонарь, вечером во дворе страшно идти.',
  },
  { kind: 'settle' },
  // A moderator works incidents from the moderators' chat.
  { kind: 'press', from: MODERATORS.zarechensk, label: 'pothole', action: 'accept' },
  { kind: 'command', from: MODERATORS.zarechensk, text: '/accept {pothole}' },
  { kind: 'settle' },
  {
    kind: 'command',
    from: MODERATORS.zarechensk,
    text: '/answer {pothole} Яма на перекрёстке Советской и Гагарина будет заделана до 25 ноября, подрядчик уже выехал на место.',
  },
  { kind: 'command', from: MODERATORS.zarechensk, text: '/accept {snow} zar-blago' },
  { kind: 'command', from: MODERATORS.zarechensk, text: '/interim {snow} Техника направлена, уборку двора на Молодёжной 7 завершат сегодня до 18:00.' },
  { kind: 'command', from: MODERATORS.sosnovka, text: '/accept {heating}' },
  { kind: 'press', from: MODERATORS.regional, label: 'light', action: 'ask' },
  { kind: 'settle' },
  { kind: 'prompt_reply', from: MODERATORS.regional, label: 'light', text: 'Уточните, пожалуйста, на какой стороне улицы не горят фонари?' },
  { kind: 'command', from: MODERATORS.regional, text: '/reject {tg-private-yard} Площадка на частной территории, передано собственнику.' },
  // A question the FAQ does not know: a question card; a moderator answers it with «Ответить».
  { kind: 'press', from: MODERATORS.regional, label: 'courses-question', action: 'answer' },
  { kind: 'settle' },
  {
    kind: 'prompt_reply',
    from: MODERATORS.regional,
    label: 'courses-question',
    text: 'Записаться можно в любом МФЦ или по телефону 122, курсы бесплатные, группы с 1 декабря.',
  },
  { kind: 'command', from: CITIZENS.roman, text: '/list' },
  { kind: 'settle' },
  { kind: 'command', from: MODERATORS.zarechensk, text: '/close {pothole}' },
  { kind: 'message', place: bot, from: c.galina, text: '/status {tg-private-yard}' },
  { kind: 'message', place: bot, from: c.kirill, text: 'статус {heating}' },
  { kind: 'settle' },
  // A burst: many people in one town report no water within minutes — a spike.
  { kind: 'message', label: 'outage-1', place: wall(ZARECHENSK_GROUP, 1), from: P(100201, 'Игорь', 'Титов'), text: 'Нет воды на Ленина 20, что случилось?' },
  { kind: 'message', place: wall(ZARECHENSK_GROUP, 1), from: P(100202, 'Оксана', 'Фролова'), text: 'У нас на Мира 8 тоже нет воды с утра!' },
  { kind: 'message', place: chat, from: P(100203, 'Виктор', 'Ершов'), text: 'Мира 14 без воды, ни холодной ни горячей' },
  {
    kind: 'message',
    place: dialog(ZARECHENSK_GROUP),
    from: P(100204, 'Лариса', 'Тарасова'),
    text: 'Здравствуйте, на Советской 30 отключили воду без предупреждения, у меня маленький ребёнок',
  },
  {
    kind: 'message',
    place: wall(ZARECHENSK_GROUP, 2),
    from: P(100205, 'Григорий', 'Белов'),
    text: 'Почему нет воды в центре города? Никакого объявления не было!',
  },
  { kind: 'message', place: chat, from: P(100206, 'Алина', 'Кудрявцева'), text: 'Гагарина 5 нет холодной воды, когда дадут?' },
  {
    kind: 'message',
    place: wall(REGION_GROUP, 0),
    from: P(100207, 'Степан', 'Медведев'),
    text: 'В Зареченске на Садовой нет воды уже 4 часа, водоканал не отвечает',
  },
  {
    kind: 'message',
    place: dialog(ZARECHENSK_GROUP),
    from: P(100208, 'Маргарита', 'Жукова'),
    text: 'Нет воды на Комсомольской 11, у нас лежачий больной, помогите',
  },
  { kind: 'settle' },
  // The risk check (every 10 minutes in production) sees the burst: one alert to the moderators.
  { kind: 'job', job: 'spikes' },
  {
    kind: 'command',
    from: MODERATORS.regional,
    text: '/announce zarechensk тема=ЖКХ улица=Ленина Уважаемые жители! На ул. Ленина идёт ремонт водопровода после аварии. Водоснабжение восстановят к 18:00.',
  },
  { kind: 'message', place: wall(SOSNOVKA_GROUP, 0), from: c.ivan, text: 'Продаю дрова берёзовые колотые, доставка по району.' },
  { kind: 'message', place: chat, from: c.sergey, text: 'Ребят, а кто знает хорошего сантехника?' },
  { kind: 'message', place: bot, from: c.yulia, text: 'мои обращения' },
  { kind: 'settle' },
  { kind: 'command', from: MODERATORS.regional, text: '/stats today' },
  { kind: 'command', from: MODERATORS.regional, text: '/report today' },
  { kind: 'settle' },
  // The risk check runs again: the spike goes on, so no second alert.
  { kind: 'job', job: 'spikes' },
  // 09:00 next morning: the daily digest of the demo's day, with its chart.
  { kind: 'job', job: 'digest' },
];
