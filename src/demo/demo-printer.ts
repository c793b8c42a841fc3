import type { Config } from '../config.js';
import { attachmentSummary } from '../domain/attachment.js';
import type { Destination } from '../domain/outbound.js';
import { telegramHtmlToPlain } from '../domain/safe-text.js';
import type { DecisionEvent } from '../incidents/ingest.js';
import { collectConversationFigures } from '../reports/conversation-figures.js';
import type { OutboxPurpose } from '../store/outbox-store.js';
import type { StatsStore } from '../store/stats-store.js';
import { ATTACHMENT_LABELS, statusName, TOPIC_LABELS } from '../texts.js';
import type { DemoPerson } from './scenario.js';

const DECISION_TEXT: Record<string, string> = {
  incident: 'новое обращение',
  question: 'вопрос модераторам',
  faq: 'ответ из FAQ',
  followup: 'дополнение к обращению',
  album: 'фото из того же альбома',
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
  burst: 'сводка всплеска модераторам',
  notice: 'уведомление модератору',
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
    case 'max_message':
      return 'MAX';
    case 'max_comment':
      return 'MAX, ответ на комментарий';
    case 'max_edit':
      return 'MAX, правка карточки';
    case 'max_callback_answer':
      return 'MAX, ответ на кнопку';
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
    this.line(
      `Регион: ${config.region.name}; сообществ VK: ${config.vk.communities.length}; чатов Telegram: ${config.telegram.chats.length} + чат модераторов`,
    );
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
      details.push(
        `тема ${detection.topic ? label(TOPIC_LABELS, detection.topic) : '—'}`,
        detection.urgency === 'emergency' ? 'СРОЧНО' : 'обычная',
        `оценка ${detection.score.toFixed(2)}`,
      );
    } else if (detection && event.decision === 'ignored') {
      details.push(`оценка ${detection.score.toFixed(2)}`, `язык ${detection.language}`);
    }
    const extras = attachmentSummary(message.attachments, message.location).map((kind) => ATTACHMENT_LABELS[kind as keyof typeof ATTACHMENT_LABELS] ?? kind);
    this.line(`← ${source} · ${who}: «${clip(message.text)}»${extras.length > 0 ? ` + ${extras.join(', ')}` : ''}`);
    this.line(`   ⇒ ${what}${details.length ? ` (${details.join(', ')})` : ''}`);
  }

  delivered(purpose: string, destination: Destination, text: string, photoPath?: string, photos = 0): void {
    if (destination.kind === 'telegram_callback_answer') return;
    const purposeLabel = label(PURPOSE_TEXT, purpose);
    if (photos > 0) {
      this.line(`   → [${purposeLabel} · ${destinationText(destination)}, фото жителя: ${photos}] ${clip(telegramHtmlToPlain(text), 140)}`);
      return;
    }
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

  summary(stats: StatsStore, dbPath: string): void {
    const s = stats.summary();
    const list = (rows: { key: string; n: number }[], names: Record<string, string> | ((key: string) => string)) =>
      rows.map((r) => `${typeof names === 'function' ? names(r.key) : label(names, r.key)} ${r.n}`).join(', ') || '—';
    this.line('');
    this.line('Итоги');
    this.line(`  Сообщений получено: ${s.messages} (${list(s.byDecision, DECISION_TEXT)})`);
    this.line(`  Обращений создано: ${s.incidents}; по темам: ${list(s.byTopic, TOPIC_LABELS)}`);
    this.line(`  Статусы: ${list(s.byStatus, statusName)}`);
    this.line(`  Отправлено ботом: ${s.sent} (${list(s.sentByPurpose, PURPOSE_TEXT)}); не доставлено: ${s.unsent}`);
    const conv = collectConversationFigures(stats);
    this.line(
      `  Разговоры: жалоб, подшитых к чужому обращению: ${conv.misfiledComplaints}; дополнений: ${conv.additions}, из них видно модераторам: ${conv.additionsShown}, правок карточек из-за дополнений: ${conv.additionCardEdits}; ` +
        `вопросов в личных чатах: ${conv.privateQuestions}, из них с ответом (FAQ, модератор) или справкой: ${conv.privateQuestionsAnswered}; фото дошло до карточек: ${conv.photosOnCards} из ${conv.photos}`,
    );
    this.line(`  База данных SQLite: ${dbPath}`);
  }
}
