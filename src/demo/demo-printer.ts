import type { Config } from '../config.js';
import { telegramHtmlToPlain } from '../domain/safe-text.js';
import type { Destination } from '../domain/outbound.js';
import type { DecisionEvent } from '../incidents/ingest.js';
import { ConversationCounts } from '../store/conversation-counts.js';
import type { Db } from '../store/db.js';
import type { OutboxPurpose } from '../store/outbox-store.js';
import { STATUS_NAMES } from '../moderation/incident-card.js';
import { TOPIC_LABELS } from '../jobs/format.js';
import type { DemoPerson } from './scenario.js';

const DECISION_TEXT: Record<string, string> = {
  incident: 'новое обращение',
  question: 'вопрос модераторам',
  faq: 'ответ из FAQ',
  followup: 'дополнение к обращению',
  linked: 'та же проблема, привязано к обращению',
  review: 'на проверку модератору (без публичного ответа)',
  ignored: 'не обращение',
  command: 'команда',
  skipped_bot: 'бот — пропущено',
  skipped_self: 'свой ответ — пропущено',
  skipped_moderator: 'модератор — пропущено',
  skipped_empty: 'нет текста — пропущено',
  duplicate: 'уже записано',
  failed: 'ошибка обработки (сообщение сохранено)',
};

/** Every outbox purpose by its Russian name; the Record type makes a new purpose fail to compile until it is named. */
const PURPOSE_TEXT: Record<OutboxPurpose, string> = {
  card: 'карточка модераторам',
  ack: 'ответ гражданину',
  status: 'статус гражданину',
  review: 'на проверку модераторам',
  alert: 'оповещение модераторам',
  digest: 'сводка модераторам',
  reminder: 'напоминание о сроке',
  announce: 'объявление',
  reply: 'ответ на команду',
  callback: 'ответ на кнопку',
};

/** A label from one of the tables, or the id itself when a table lacks it (a new value shows rather than vanishes). */
function label(table: Record<string, string>, id: string): string {
  return table[id] ?? id;
}


function clip(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function destinationText(destination: Destination): string {
  switch (destination.kind) {
    case 'vk_comment':
      return 'VK, ответ на комментарий';
    case 'vk_message':
      return 'VK, сообщение';
    case 'vk_wall_post':
      return `VK, пост на стене ${destination.groupId}`;
    case 'telegram':
      return 'Telegram';
    case 'telegram_edit':
      return 'Telegram, правка карточки';
    case 'telegram_callback_answer':
      return 'Telegram, ответ на кнопку';
  }
}

/** The demo's live log and closing summary, in Russian for the people who run a centre. */
export class DemoPrinter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  private line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  banner(config: Config, emulatorUrl: string): void {
    this.line('Отклик — демонстрация');
    this.line(`Эмулятор VK и Telegram: ${emulatorUrl} (только 127.0.0.1, без интернета и токенов)`);
    this.line(`Регион: ${config.region.name}; сообществ VK: ${config.vk.communities.length}; чатов Telegram: ${config.telegram.chats.length} + чат модераторов`);
    this.line('');
  }

  decision(event: DecisionEvent, source: string): void {
    const { message, detection } = event;
    if (event.decision === 'skipped_self' || event.decision === 'duplicate') return;
    const who = message.author.name ?? `id${message.author.id}`;
    const what = DECISION_TEXT[event.decision] ?? event.decision;
    const details: string[] = [];
    if (event.incidentId !== null) details.push(`№${event.incidentId}`);
    if (detection && (event.decision === 'incident' || event.decision === 'review' || event.decision === 'linked')) {
      details.push(`тема ${detection.topic ? label(TOPIC_LABELS, detection.topic) : '—'}`, detection.urgency === 'emergency' ? 'СРОЧНО' : 'обычная', `оценка ${detection.score.toFixed(2)}`);
    } else if (detection && event.decision === 'ignored') {
      details.push(`оценка ${detection.score.toFixed(2)}`, `язык ${detection.language}`);
    }
    this.line(`← ${source} · ${who}: «${clip(message.text)}»`);
    this.line(`   ⇒ ${what}${details.length ? ` (${details.join(', ')})` : ''}`);
  }

  delivered(purpose: string, destination: Destination, text: string, photoPath?: string): void {
    if (destination.kind === 'telegram_callback_answer') return;
    const purposeLabel = label(PURPOSE_TEXT, purpose);
    if (photoPath) {
      this.line(`   → [${purposeLabel} · ${destinationText(destination)}, фото] ${telegramHtmlToPlain(text)} — ${photoPath}`);
      return;
    }
    if (purpose === 'alert' || purpose === 'digest') {
      // Risk alerts and digests are what the moderators read in full: show them whole.
      this.line(`   → [${purposeLabel} · ${destinationText(destination)}]`);
      for (const row of telegramHtmlToPlain(text).split('\n')) this.line(`     │ ${row}`);
      return;
    }
    this.line(`   → [${purposeLabel} · ${destinationText(destination)}] ${clip(telegramHtmlToPlain(text), 140)}`);
  }

  jobStarted(text: string): void {
    this.line(`⏰ ${text}`);
  }

  moderatorCommand(from: DemoPerson, text: string): void {
    this.line(`✎ ${from.firstName} ${from.lastName} (чат модераторов): ${clip(text, 120)}`);
  }

  buttonPress(from: DemoPerson, button: string, incidentId: number): void {
    this.line(`✎ ${from.firstName} ${from.lastName} нажимает «${button}» на карточке №${incidentId}`);
  }

  note(text: string): void {
    this.line(`   ${text}`);
  }

  summary(db: Db, dbPath: string): void {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const byTopic = db.prepare('SELECT topic, COUNT(*) AS n FROM incidents GROUP BY topic ORDER BY n DESC').all() as { topic: string; n: number }[];
    const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM incidents GROUP BY status ORDER BY n DESC').all() as { status: string; n: number }[];
    const byDecision = db.prepare('SELECT decision, COUNT(*) AS n FROM messages GROUP BY decision ORDER BY n DESC').all() as { decision: string; n: number }[];
    const sentByPurpose = db.prepare("SELECT purpose, COUNT(*) AS n FROM outbox WHERE state = 'sent' GROUP BY purpose ORDER BY n DESC").all() as {
      purpose: string;
      n: number;
    }[];
    const list = (rows: { n: number }[], key: string, names: Record<string, string>) =>
      rows.map((r) => `${label(names, (r as unknown as Record<string, string>)[key]!)} ${r.n}`).join(', ') || '—';
    this.line('');
    this.line('Итоги');
    this.line(`  Сообщений получено: ${count('SELECT COUNT(*) AS n FROM messages')} (${list(byDecision, 'decision', DECISION_TEXT)})`);
    this.line(`  Обращений создано: ${count('SELECT COUNT(*) AS n FROM incidents')}; по темам: ${list(byTopic, 'topic', TOPIC_LABELS)}`);
    this.line(`  Статусы: ${list(byStatus, 'status', STATUS_NAMES)}`);
    this.line(`  Отправлено ботом: ${count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'")} (${list(sentByPurpose, 'purpose', PURPOSE_TEXT)}); не доставлено: ${count("SELECT COUNT(*) AS n FROM outbox WHERE state <> 'sent'")}`);
    const conv = new ConversationCounts(db).counts();
    this.line(
      `  Разговоры: жалоб, подшитых к чужому обращению: ${conv.misfiledComplaints}; дополнений: ${conv.additions}, из них видно модераторам: ${conv.additionsShown}, правок карточек из-за дополнений: ${conv.additionCardEdits}; ` +
        `вопросов в личных чатах: ${conv.privateQuestions}, из них с ответом (FAQ, модератор) или справкой: ${conv.privateQuestionsAnswered}; фото дошло до карточек: ${conv.photosOnCards} из ${conv.photos}`,
    );
    this.line(`  База данных SQLite: ${dbPath}`);
  }
}
