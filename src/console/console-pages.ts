/**
 * The console's pages, rendered on the server with hono/html: every `${value}` is escaped unless
 * it is itself rendered markup, so a citizen's text or name can never become markup. The words
 * come from config/console.json (ConsoleText); status, topic and channel names are the bot's
 * word tables.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Config, ModeratorConfig } from '../config.js';
import { type MessageMedia, readMedia } from '../domain/attachment.js';
import { runningDeadline } from '../domain/deadline-running.js';
import type { TopicId } from '../domain/detection.js';
import { authorKey } from '../domain/inbound-message.js';
import { INCIDENT_STATUSES } from '../domain/incident.js';
import { allowedActions, type IncidentAction } from '../domain/incident-status.js';
import type { ProblemCatalog } from '../domain/problem.js';
import { CHANNEL_KINDS, threadLink } from '../domain/thread-ref.js';
import { assignableDepartments } from '../incidents/routing.js';
import { mapLink } from '../media-texts.js';
import { canActOn } from '../moderation/permissions.js';
import { sourceName } from '../reports/incident-export.js';
import type { BotReply, ConsoleRow, SpikeRef, ThreadMessage } from '../store/console-query-store.js';
import type { IncidentEvent, StoredIncident } from '../store/incident-store.js';
import {
  CHANNEL_LABELS,
  EVENT_NAMES,
  formatDuration,
  formatLocal,
  KIND_NAMES,
  municipalityName,
  snippet,
  statusName,
  TOPIC_LABELS,
  topicAndProblem,
  topicLabel,
  URGENCY_NAMES,
} from '../texts.js';
import type { ConsoleText } from './console-texts.js';
import { type IncidentView, viewUrl } from './incident-view.js';

/** A rendered fragment. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageContext {
  config: Config;
  t: ConsoleText;
  now: number;
  /** Signed in: the moderator and the session's CSRF token. */
  moderator?: ModeratorConfig;
  csrf?: string;
  /** Open incidents the moderator holds. */
  myCount?: number;
}

const SORTABLE: { key: string; label: string }[] = [
  { key: 'id', label: 'col_number' },
  { key: 'status', label: 'col_status' },
  { key: 'kind', label: 'col_kind' },
  { key: 'urgency', label: 'col_urgency' },
  { key: 'municipality', label: 'col_municipality' },
  { key: 'due', label: 'col_due' },
];

export function layout(ctx: PageContext, title: string, body: Html): Html {
  const { t } = ctx;
  return html`<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>
<title>${title} — ${t('app_name')}</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('skip_to_content')}</a>
<header>
<strong class="brand">${t('app_name')}</strong>
${
  ctx.moderator
    ? html`<nav aria-label="${t('nav_label')}">
<a href="/incidents">${t('nav_incidents')}</a>
<a href="/incidents?holder=me">${t('nav_mine', { count: ctx.myCount ?? 0 })}</a>
<a href="/dashboard">${t('nav_dashboard')}</a>
</nav>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}"><span>${ctx.moderator.name}</span> <button type="submit">${t('logout')}</button></form>`
    : ''
}
</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export function messagePage(ctx: PageContext, title: string, text: string): Html {
  return layout(ctx, title, html`<h1>${title}</h1><p class="notice">${text}</p>`);
}

export function loginPage(ctx: PageContext, token: string): Html {
  const { t } = ctx;
  return layout(
    ctx,
    t('login_title'),
    html`<h1>${t('login_title')}</h1>
<p>${t('login_explain')}</p>
<form method="post" action="/login"><input type="hidden" name="token" value="${token}"><button type="submit" id="sign-in">${t('login_button')}</button></form>`,
  );
}

function option(value: string, label: string, selected: string): Html {
  return html`<option value="${value}"${value === selected ? raw(' selected') : ''}>${label}</option>`;
}

function select(name: string, label: string, current: string, options: [string, string][]): Html {
  return html`<label>${label}<select name="${name}">${options.map(([value, text]) => option(value, text, current))}</select></label>`;
}

/**
 * The problems grouped by topic (`<optgroup>`), after `first` options; with `topics`, each group
 * starts with its topic itself («ЖКХ — без проблемы»), so one select names a topic or a problem.
 */
function problemSelect(ctx: PageContext, name: string, label: string, current: string, first: [string, string][], topics: boolean): Html {
  const catalog: ProblemCatalog = ctx.config.problems;
  const groups = (Object.keys(TOPIC_LABELS) as TopicId[]).map((topic) => {
    const problems = catalog.ofTopic(topic).map((p) => option(p.id, p.label, current));
    if (!topics && problems.length === 0) return '';
    const own = topics ? option(topic, ctx.t('topic_without_problem', { topic: topicLabel(topic) }), current) : '';
    return html`<optgroup label="${topicLabel(topic)}">${own}${problems}</optgroup>`;
  });
  return html`<label>${label}<select name="${name}">${first.map(([value, text]) => option(value, text, current))}${groups}</select></label>`;
}

/** Time left to a deadline («осталось 2 ч 10 мин» / «просрочено на 1 ч 05 мин»), or nothing. */
export function timeLeft(ctx: PageContext, due: number | null): string {
  if (due === null) return '';
  return due >= ctx.now ? ctx.t('due_left', { left: formatDuration(due - ctx.now) }) : ctx.t('due_late', { late: formatDuration(ctx.now - due) });
}

/** A department's name from config; «—» for none, the id for one config no longer has. */
export function departmentName(config: Config, id: string | null): string {
  if (id === null) return '—';
  return config.departments.find((d) => d.id === id)?.name ?? id;
}

export function incidentsPage(
  ctx: PageContext & { moderator: ModeratorConfig; csrf: string },
  view: IncidentView,
  result: { rows: ConsoleRow[]; total: number },
  pageSize: number,
  notice?: Html,
): Html {
  const { t, config, moderator } = ctx;
  const p = view.params;
  const get = (key: string) => p.get(key) ?? '';
  const municipalities = config.municipalities.filter((m) => canActOn(moderator, m.id));
  const people = config.moderators.filter((m) => moderator.role === 'regional' || m.role === 'regional' || m.municipalityId === moderator.municipalityId);
  const departments = config.departments.filter((d) => d.municipalityId === null || canActOn(moderator, d.municipalityId));
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  const first = result.total === 0 ? 0 : (view.page - 1) * pageSize + 1;
  const last = Math.min(view.page * pageSize, result.total);
  const here = viewUrl('/incidents', p, { page: view.page > 1 ? String(view.page) : null });

  const filters = html`<form method="get" action="/incidents" class="filters" role="search" hx-get="/incidents" hx-trigger="change" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
${select('status', t('filter_status'), get('status') || 'open', [['open', t('status_open')], ['all', t('status_all')], ...INCIDENT_STATUSES.map((s): [string, string] => [s, statusName(s)])])}
${select('kind', t('filter_kind'), get('kind'), [['', t('any')], ...Object.entries(KIND_NAMES)])}
${select('topic', t('filter_topic'), get('topic'), [['', t('any')], ...Object.entries(TOPIC_LABELS)])}
${config.problems.problems.length > 0 ? problemSelect(ctx, 'problem', t('filter_problem'), get('problem'), [['', t('any')]], false) : ''}
${select('urgency', t('filter_urgency'), get('urgency'), [['', t('any')], ...Object.entries(URGENCY_NAMES)])}
${
  moderator.role === 'regional'
    ? select('municipality', t('filter_municipality'), get('municipality'), [
        ['', t('any')],
        ['region', municipalityName(config, null)],
        ...municipalities.map((m): [string, string] => [m.id, m.name]),
      ])
    : ''
}
${select('department', t('filter_department'), get('department'), [['', t('any')], ['none', t('department_none')], ...departments.map((d): [string, string] => [d.id, d.name])])}
${select('holder', t('filter_holder'), get('holder'), [['', t('any')], ['me', t('holder_me')], ['none', t('holder_none')], ...people.map((m): [string, string] => [authorKey(m), m.name])])}
${select('source', t('filter_source'), get('source'), [['', t('any')], ...CHANNEL_KINDS.map((c): [string, string] => [c, CHANNEL_LABELS[c] ?? c])])}
${select('due', t('filter_due'), get('due'), [
  ['', t('any')],
  ['overdue', t('due_overdue')],
  ['2h', t('due_within', { hours: 2 })],
  ['8h', t('due_within', { hours: 8 })],
  ['24h', t('due_within', { hours: 24 })],
])}
<label>${t('filter_from')}<input type="date" name="from" value="${get('from')}"></label>
<label>${t('filter_to')}<input type="date" name="to" value="${get('to')}"></label>
<label class="wide">${t('filter_text')}<input type="search" name="q" value="${get('q')}" maxlength="200"></label>
${(['ids', 'sla', 'reached', 'spike'] as const).map((key) => (p.get(key) ? html`<input type="hidden" name="${key}" value="${get(key)}">` : ''))}
${p.get('sort') ? html`<input type="hidden" name="sort" value="${get('sort')}">` : ''}
${p.get('dir') ? html`<input type="hidden" name="dir" value="${get('dir')}">` : ''}
<button type="submit">${t('filter_apply')}</button>
<a href="/incidents">${t('filter_reset')}</a>
</form>`;

  const header = SORTABLE.map(({ key, label }) => {
    const active = view.sort.key === key;
    const dir = active && view.sort.desc ? 'asc' : 'desc';
    const sort = aria(active ? (view.sort.desc ? 'descending' : 'ascending') : null);
    return html`<th scope="col"${sort}><a href="${viewUrl('/incidents', p, { sort: key === 'id' ? null : key, dir: dir === 'desc' ? null : 'asc' })}">${t(label)}${active ? (view.sort.desc ? ' ↓' : ' ↑') : ''}</a></th>`;
  });

  const rows = result.rows.map((row) => {
    const due = row.nextDueAt;
    return html`<tr${row.overdue ? raw(' class="overdue"') : ''}>
<td><input type="checkbox" name="id" value="${row.id}" form="bulk" aria-label="${t('select_incident', { number: row.id })}"></td>
<td><a href="/incidents/${row.id}">№${row.id}</a></td>
<td>${statusName(row.status)}</td>
<td>${KIND_NAMES[row.kind]}</td>
<td>${row.urgency === 'emergency' ? html`<span class="urgent">${URGENCY_NAMES.emergency}</span>` : URGENCY_NAMES.normal}</td>
<td>${municipalityName(config, row.municipalityId)}</td>
<td>${due === null ? '' : html`${formatLocal(due, config.region.timezone)}<br><small>${timeLeft(ctx, due)}</small>`}</td>
<td>${topicAndProblem(config, row)}</td>
<td>${departmentName(config, row.departmentId)}</td>
<td>${row.holderName ?? ''}</td>
<td class="text">${snippet(row.text, 140)}${row.reporterCount > 1 ? html` <small>${t('reporters', { count: row.reporterCount })}</small>` : ''}</td>
</tr>`;
  });

  const pager = html`<nav class="pager" aria-label="${t('pages')}">
${view.page > 1 ? html`<a href="${viewUrl('/incidents', p, { page: view.page - 1 > 1 ? String(view.page - 1) : null })}" rel="prev">${t('page_prev')}</a>` : ''}
<span>${t('page_of', { page: view.page, pages })}</span>
${view.page < pages ? html`<a href="${viewUrl('/incidents', p, { page: String(view.page + 1) })}" rel="next">${t('page_next')}</a>` : ''}
</nav>`;

  const bulk = html`<form method="post" action="/incidents/bulk" id="bulk" class="bulk">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<input type="hidden" name="view" value="${p.toString()}">
<fieldset><legend>${t('bulk_title')}</legend>
<label><input type="radio" name="scope" value="selected" checked> ${t('bulk_selected')}</label>
<label><input type="radio" name="scope" value="filter"> ${t('bulk_filter', { count: result.total })}</label>
${select(
  'action',
  t('bulk_action'),
  'answer',
  BULK_ACTIONS.map((a): [string, string] => [a, t(`action_${a}`)]),
)}
<label class="wide">${t('bulk_text')}<textarea name="text" rows="2" maxlength="${config.incidents.maxReplyLength}"></textarea></label>
${select('department', t('bulk_department'), '', [['', t('department_keep')], ...departments.map((d): [string, string] => [d.id, d.name])])}
${select('holder', t('bulk_holder'), '', [['', t('holder_me')], ...people.map((m): [string, string] => [authorKey(m), m.name])])}
<button type="submit">${t('bulk_submit')}</button>
</fieldset>
</form>`;

  return layout(
    ctx,
    t('incidents_title'),
    html`<h1>${t('incidents_title')}</h1>
${notice ?? ''}
${filters}
<div id="results">
<p class="count" role="status">${t('shown_of', { first, last, total: result.total })}
 · <a href="${viewUrl('/incidents.csv', p, { page: null })}">${t('export_csv')}</a></p>
<div class="scroll"><table class="incidents">
<caption class="sr">${t('incidents_title')}</caption>
<thead><tr><th scope="col"><input type="checkbox" id="select-all" aria-label="${t('select_all')}"></th>${header}<th scope="col">${t('col_topic')}</th><th scope="col">${t('col_department')}</th><th scope="col">${t('col_holder')}</th><th scope="col">${t('col_text')}</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="11">${t('nothing_found')}</td></tr>`}</tbody>
</table></div>
${pager}
</div>
${bulk}
<p class="back"><a href="${here}">${t('refresh')}</a></p>`,
  );
}

function aria(sort: string | null): Html | string {
  return sort ? html` aria-sort="${sort}"` : '';
}

/** Actions offered over many incidents at once. */
export const BULK_ACTIONS: readonly IncidentAction[] = ['answer', 'interim', 'accept', 'take', 'close', 'reject', 'assign', 'note'];

/** The card's actions: which need words, a department or a person. */
const NEEDS_TEXT = new Set<IncidentAction>(['ask', 'interim', 'answer', 'reject', 'note']);

export interface CardData {
  incident: StoredIncident;
  events: IncidentEvent[];
  messages: ThreadMessage[];
  replies: BotReply[];
  spikes: SpikeRef[];
}

/**
 * What a message carried, as badges: VK photos and documents link to their public address, a
 * Telegram file is named (it opens only through the bot), the location links to a map. Rows
 * recorded before media was kept show their summary of kinds.
 */
function attachmentsBlock(ctx: PageContext, media: MessageMedia, summary: readonly string[]): Html | string {
  const { t, config } = ctx;
  const label = (kind: string) => (ATTACHMENT_KINDS.has(kind) ? t(`attachment_${kind}`) : kind);
  const badges = media.attachments.map((a) => {
    const name = 'name' in a && a.name ? ` «${a.name}»` : '';
    const url = 'url' in a ? a.url : undefined;
    return url
      ? html`<a class="attachment" href="${url}" rel="noreferrer noopener" target="_blank">${label(a.kind)}${name}</a> `
      : html`<span class="attachment">${label(a.kind)}${name}</span> `;
  });
  if (media.location)
    badges.push(html`<a class="attachment" href="${mapLink(config, media.location)}" rel="noreferrer noopener" target="_blank">${label('location')}</a> `);
  if (badges.length === 0 && summary.length > 0) badges.push(...summary.map((kind) => html`<span class="attachment">${label(kind)}</span> `));
  return badges.length > 0 ? html`<div class="attachments">${badges}</div>` : '';
}

const ATTACHMENT_KINDS = new Set(['photo', 'document', 'video', 'audio', 'voice', 'sticker', 'other', 'location']);

export function cardPage(ctx: PageContext & { moderator: ModeratorConfig; csrf: string }, data: CardData, notice?: Html): Html {
  const { t, config } = ctx;
  const { incident } = data;
  const tz = config.region.timezone;
  const link = threadLink(incident.thread);
  const at = (ms: number) => formatLocal(ms, tz);
  const actorName = (event: IncidentEvent): string => {
    if (event.actorKind === 'system') return t('actor_system');
    if (event.actorKind === 'citizen') return t('actor_citizen');
    return config.moderators.find((m) => authorKey(m) === event.actorId)?.name ?? event.actorId;
  };
  const eventText = (event: IncidentEvent): string => {
    if (event.action === 'transition') return `${statusName(event.oldValue)} → ${statusName(event.newValue)}`;
    if (event.action === 'assign') return t('event_assign', { department: departmentName(config, event.newValue) });
    if (event.action === 'topic') {
      const problem = (key: string) => (typeof event.details?.[key] === 'string' ? (event.details[key] as string) : null);
      return t('event_topic', {
        from: topicAndProblem(config, { topic: event.oldValue ?? '', problem: problem('fromProblem') }),
        to: topicAndProblem(config, { topic: event.newValue ?? '', problem: problem('toProblem') }),
      });
    }
    if (event.action === 'take') return t('event_take', { name: typeof event.details?.name === 'string' ? event.details.name : (event.newValue ?? '') });
    return EVENT_NAMES[event.action] ?? event.action;
  };
  const departments = assignableDepartments(config, incident.municipalityId);
  const people = config.moderators.filter((m) => canActOn(m, incident.municipalityId));
  const actions = allowedActions(incident.status);
  const form = (action: IncidentAction) => html`<form method="post" action="/incidents/${incident.id}/action" class="action">
<input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="action" value="${action}">
${NEEDS_TEXT.has(action) ? html`<label>${t(`action_${action}_text`)}<textarea name="text" rows="3" required maxlength="${config.incidents.maxReplyLength}"></textarea></label>` : ''}
${action === 'assign' || action === 'accept' ? select('department', t('card_department_pick'), action === 'assign' ? (incident.departmentId ?? '') : '', [...(action === 'accept' ? [['', t('department_keep')] as [string, string]] : []), ...departments.map((d): [string, string] => [d.id, d.name])]) : ''}
${action === 'topic' ? problemSelect(ctx, 'topic', t('card_topic_pick'), incident.problem ?? incident.topic, [], true) : ''}
${
  action === 'take'
    ? select(
        'holder',
        t('card_holder_pick'),
        authorKey(ctx.moderator),
        people.map((m): [string, string] => [authorKey(m), m.name]),
      )
    : ''
}
<button type="submit">${t(`action_${action}`)}</button>
</form>`;

  const dues = [
    incident.acceptDueAt !== null
      ? html`<li>${t('due_accept', { at: at(incident.acceptDueAt) })}${runningDeadline(incident, 'accept') !== null ? html` — <strong>${timeLeft(ctx, incident.acceptDueAt)}</strong>` : ''}</li>`
      : '',
    incident.answerDueAt !== null
      ? html`<li>${t('due_answer', { at: at(incident.answerDueAt) })}${runningDeadline(incident, 'answer') !== null ? html` — <strong>${timeLeft(ctx, incident.answerDueAt)}</strong>` : ''}</li>`
      : '',
  ];

  return layout(
    ctx,
    t('card_title', { number: incident.id }),
    html`<p><a href="/incidents">${t('back_to_list')}</a></p>
<h1>${t('card_title', { number: incident.id })} — ${statusName(incident.status)}</h1>
${notice ?? ''}
<dl class="facts">
<dt>${t('col_kind')}</dt><dd>${KIND_NAMES[incident.kind]}</dd>
<dt>${t('col_topic')}</dt><dd>${topicAndProblem(config, incident)}${incident.urgency === 'emergency' ? html` · <span class="urgent">${URGENCY_NAMES.emergency}</span>` : ''}</dd>
<dt>${t('col_municipality')}</dt><dd>${municipalityName(config, incident.municipalityId)}</dd>
<dt>${t('col_department')}</dt><dd>${departmentName(config, incident.departmentId)}</dd>
<dt>${t('col_holder')}</dt><dd>${incident.holderName ?? t('holder_none')}</dd>
<dt>${t('col_source')}</dt><dd>${CHANNEL_LABELS[incident.channel] ?? incident.channel} · ${sourceName(config, incident.sourceKey)}${link ? html` · <a href="${link}" rel="noreferrer noopener" target="_blank">${t('open_thread')}</a>` : ''}</dd>
<dt>${t('col_created')}</dt><dd>${at(incident.createdAt)}</dd>
<dt>${t('col_due')}</dt><dd><ul class="plain">${dues}</ul></dd>
</dl>
<section aria-labelledby="thread"><h2 id="thread">${t('card_thread')}</h2>
<ol class="thread">${data.messages.map(
      (
        m,
      ) => html`<li class="citizen"><div class="meta">${m.authorName ?? t('actor_citizen')} · ${at(m.at)}${m.opening ? '' : html` · ${t('message_linked')}`}</div>
<div class="text">${m.text}</div>${attachmentsBlock(ctx, m.media, m.attachments)}</li>`,
    )}${data.replies.map(
      (r) =>
        html`<li class="bot"><div class="meta">${t('actor_bot')} · ${at(r.at)} · ${r.state === 'sent' ? t('reply_sent') : r.state === 'dead' ? t('reply_dead') : t('reply_pending')}</div><div class="text">${r.text}</div></li>`,
    )}</ol></section>
${data.spikes.length > 0 ? html`<section aria-labelledby="spikes"><h2 id="spikes">${t('card_spikes')}</h2><ul>${data.spikes.map((s) => html`<li><a href="/incidents?status=all&amp;spike=${s.id}">${t('spike_line', { topic: topicAndProblem(config, s), municipality: municipalityName(config, s.municipalityId), count: s.count, at: at(s.startedAt) })}</a>${s.place ? ` · ${s.place}` : ''}</li>`)}</ul></section>` : ''}
<section aria-labelledby="actions"><h2 id="actions">${t('card_actions')}</h2>
<div class="actions">${actions.map(form)}</div></section>
<section aria-labelledby="history"><h2 id="history">${t('card_history')}</h2>
<table class="history"><thead><tr><th scope="col">${t('col_when')}</th><th scope="col">${t('col_who')}</th><th scope="col">${t('col_what')}</th></tr></thead>
<tbody>${data.events.map((e) => html`<tr><td>${at(e.at)}</td><td>${actorName(e)}</td><td>${eventText(e)}${typeof e.details?.text === 'string' ? html`<div class="text">${e.details.text}</div>` : ''}${attachmentsBlock(ctx, readMedia(e.details?.media), [])}</td></tr>`)}</tbody></table></section>`,
  );
}

export function noticeBox(kind: 'ok' | 'error', lines: string[]): Html {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${lines.map((l) => html`<p>${l}</p>`)}</div>`;
}
