/**
 * The dashboard page: renders src/reports/dashboard.ts for a period. Every figure links to the
 * incidents behind it — the same filter the figure counted (the period, complaints only, and the
 * body, day, topic, deadline outcome, milestone, holder or spike) — so a number on the screen and
 * the rows it opens never disagree.
 */
import { html } from 'hono/html';
import type { ModeratorConfig } from '../config.js';
import type { TopicId } from '../domain/detection.js';
import { type Dashboard, inTimeShare, type RatingRow, type SlaCount, type SlaGroup } from '../reports/dashboard.js';
import { formatDuration, formatLocal, municipalityName, topicAndProblem, topicLabel } from '../texts.js';
import { departmentName, type Html, layout, type PageContext } from './console-pages.js';

/** A period of the dashboard as local dates, and the presets offered beside it. */
export interface DashboardPeriod {
  from: string;
  to: string;
  presets: { label: 'dash_this_month' | 'dash_previous_month'; from: string; to: string }[];
}

function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}

function minutes(value: number | null): string {
  return value === null ? '—' : formatDuration(value * 60_000);
}

/** The in-time share, and a link to the late ones when there are any. */
function slaCell(ctx: PageContext, count: SlaCount, lateUrl: string): Html {
  return html`${percent(inTimeShare(count))}${count.late > 0 ? html` · <a href="${lateUrl}">${ctx.t('dash_late', { count: count.late })}</a>` : ''}`;
}

function slaTable(
  ctx: PageContext,
  caption: string,
  groups: readonly SlaGroup[],
  name: (key: string | null) => string,
  drill: (key: string | null) => string,
): Html {
  const { t } = ctx;
  return html`<div class="scroll"><table class="sla"><caption>${caption}</caption>
<thead><tr><th scope="col">${t('dash_body')}</th><th scope="col">${t('dash_total')}</th><th scope="col">${t('dash_share')}</th><th scope="col">${t('dash_accept_in_time')}</th><th scope="col">${t('dash_answer_in_time')}</th><th scope="col">${t('dash_overdue')}</th><th scope="col">${t('dash_median_reaction')}</th><th scope="col">${t('dash_median_answer')}</th></tr></thead>
<tbody>${groups.map((g) => {
    const base = drill(g.key);
    return html`<tr><th scope="row">${name(g.key)}</th><td><a href="${base}">${g.total}</a></td><td>${percent(g.share)}</td>
<td>${slaCell(ctx, g.accept, `${base}&sla=accept_late`)}</td><td>${slaCell(ctx, g.answer, `${base}&sla=answer_late`)}</td>
<td><a href="${base}&due=overdue">${g.overdue}</a></td><td><a href="${base}&reached=reaction">${minutes(g.medianReactionMinutes)}</a></td><td><a href="${base}&reached=answer">${minutes(g.medianAnswerMinutes)}</a></td></tr>`;
  })}</tbody></table></div>`;
}

function ratingTable(
  ctx: PageContext,
  caption: string,
  rows: readonly RatingRow[],
  name: (key: string | null) => string,
  drill: (key: string | null) => string,
): Html {
  const { t } = ctx;
  return html`<div class="scroll"><table class="sla"><caption>${caption}</caption>
<thead><tr><th scope="col">${t('dash_place')}</th><th scope="col">${t('dash_body')}</th><th scope="col">${t('dash_total')}</th><th scope="col">${t('dash_answer_in_time')}</th><th scope="col">${t('dash_accept_in_time')}</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="5">${t('dash_rating_none')}</td></tr>` : rows.map(({ place, group: g }) => html`<tr><td>${place}</td><th scope="row">${name(g.key)}</th><td><a href="${drill(g.key)}">${g.total}</a></td><td>${slaCell(ctx, g.answer, `${drill(g.key)}&sla=answer_late`)}</td><td>${slaCell(ctx, g.accept, `${drill(g.key)}&sla=accept_late`)}</td></tr>`)}</tbody></table></div>`;
}

/** Bars of complaints per day as inline SVG, each bar a link named by its title; the day × topic table below is its text alternative. */
function dayChart(ctx: PageContext, days: Dashboard['days'], drill: (day: string) => string): Html {
  if (days.length === 0) return html`<p>${ctx.t('nothing_found')}</p>`;
  const max = Math.max(...days.map((d) => d.total));
  const width = 24;
  const height = 120;
  return html`<figure><svg role="group" aria-label="${ctx.t('dash_by_day')}" viewBox="0 0 ${days.length * width} ${height + 20}" class="chart">${days.map(
    ({ day, total }, i) => {
      const h = Math.max(1, Math.round((total / max) * height));
      return html`<a href="${drill(day)}"><rect x="${i * width + 2}" y="${height - h}" width="${width - 4}" height="${h}"><title>${day}: ${total}</title></rect><text x="${i * width + width / 2}" y="${height + 14}" text-anchor="middle">${day.slice(8)}</text></a>`;
    },
  )}</svg><figcaption>${ctx.t('dash_by_day')}</figcaption></figure>`;
}

/** Complaints per day and topic: the chart's numbers, each a link. */
function dayTopicTable(ctx: PageContext, dashboard: Dashboard, drill: (day: string, topic?: TopicId) => string): Html {
  const { t } = ctx;
  const topics = dashboard.byTopic.map((b) => b.topic);
  return html`<details><summary>${t('dash_by_day_topic')}</summary><div class="scroll"><table class="sla"><caption class="sr">${t('dash_by_day_topic')}</caption>
<thead><tr><th scope="col">${t('col_when')}</th><th scope="col">${t('dash_total')}</th>${topics.map((topic) => html`<th scope="col">${topicLabel(topic)}</th>`)}</tr></thead>
<tbody>${dashboard.days.map(
    (d) =>
      html`<tr><th scope="row">${d.day}</th><td><a href="${drill(d.day)}">${d.total}</a></td>${topics.map((topic) => {
        const n = d.byTopic[topic] ?? 0;
        return html`<td>${n === 0 ? '0' : html`<a href="${drill(d.day, topic)}">${n}</a>`}</td>`;
      })}</tr>`,
  )}</tbody></table></div></details>`;
}

export function dashboardPage(ctx: PageContext & { moderator: ModeratorConfig; csrf: string }, period: DashboardPeriod, dashboard: Dashboard): Html {
  const { t, config } = ctx;
  // The figures count complaints registered in the period: so do the rows they open.
  const range = `/incidents?status=all&kind=complaint&from=${period.from}&to=${period.to}`;
  const { overall, questions } = dashboard;
  const byMunicipality = (key: string | null) => `${range}&municipality=${key ?? 'region'}`;
  const byDepartment = (key: string | null) => `${range}&department=${key ?? 'none'}`;
  const byDay = (day: string, topic?: TopicId) => `/incidents?status=all&kind=complaint&from=${day}&to=${day}${topic ? `&topic=${topic}` : ''}`;
  return layout(
    ctx,
    t('dash_title'),
    html`<h1>${t('dash_title')}</h1>
<form method="get" action="/dashboard" class="filters"><label>${t('filter_from')}<input type="date" name="from" value="${period.from}"></label><label>${t('filter_to')}<input type="date" name="to" value="${period.to}"></label><button type="submit">${t('filter_apply')}</button>
<span class="presets">${period.presets.map((p) => html`<a href="/dashboard?from=${p.from}&amp;to=${p.to}"${p.from === period.from && p.to === period.to ? html` aria-current="page"` : ''}>${t(p.label)}</a> `)}</span></form>
<p class="count">${t('dash_total_line')} <a href="${range}">${overall.total}</a> · ${t('dash_overdue_now')} <a href="${range}&due=overdue">${overall.overdue}</a> · <a href="/dashboard.csv?from=${period.from}&amp;to=${period.to}">${t('export_csv')}</a></p>
<p class="count">${t('dash_accept_in_time')}: ${slaCell(ctx, overall.accept, `${range}&sla=accept_late`)} · ${t('dash_answer_in_time')}: ${slaCell(ctx, overall.answer, `${range}&sla=answer_late`)}
 · ${t('dash_median_reaction')}: <a href="${range}&reached=reaction">${minutes(overall.medianReactionMinutes)}</a> · ${t('dash_median_answer')}: <a href="${range}&reached=answer">${minutes(overall.medianAnswerMinutes)}</a></p>
<p class="count">${t('dash_questions')} <a href="/incidents?status=all&amp;kind=question&amp;from=${period.from}&amp;to=${period.to}">${questions.total}</a> · ${t('dash_questions_answered', { count: questions.answered })}</p>
${dayChart(ctx, dashboard.days, (day) => byDay(day))}
${dayTopicTable(ctx, dashboard, byDay)}
<table class="sla"><caption>${t('dash_by_topic')}</caption><thead><tr><th scope="col">${t('col_topic')}</th><th scope="col">${t('dash_total')}</th><th scope="col">${t('dash_share')}</th></tr></thead>
<tbody>${dashboard.byTopic.map((b) => html`<tr><th scope="row">${topicLabel(b.topic)}</th><td><a href="${range}&topic=${b.topic}">${b.total}</a></td><td>${percent(b.share)}</td></tr>`)}</tbody></table>
${slaTable(ctx, t('dash_by_municipality'), dashboard.byMunicipality, (key) => municipalityName(config, key), byMunicipality)}
${slaTable(ctx, t('dash_by_department'), dashboard.byDepartment, (key) => departmentName(config, key), byDepartment)}
${ratingTable(ctx, t('dash_rating_municipalities', { min: dashboard.rating.minVolume }), dashboard.rating.municipalities, (key) => municipalityName(config, key), byMunicipality)}
${ratingTable(ctx, t('dash_rating_departments', { min: dashboard.rating.minVolume }), dashboard.rating.departments, (key) => departmentName(config, key), byDepartment)}
<table class="sla"><caption>${t('dash_holders')}</caption><thead><tr><th scope="col">${t('col_holder')}</th><th scope="col">${t('dash_open')}</th><th scope="col">${t('dash_overdue')}</th></tr></thead>
<tbody>${dashboard.holders.map((h) => {
      const holder = `/incidents?holder=${encodeURIComponent(h.holderKey ?? 'none')}`;
      return html`<tr><th scope="row">${h.holderKey === null ? t('holder_none') : (h.holderName ?? h.holderKey)}</th><td><a href="${holder}">${h.open}</a></td><td><a href="${holder}&due=overdue">${h.overdue}</a></td></tr>`;
    })}</tbody></table>
<section aria-labelledby="spikes"><h2 id="spikes">${t('card_spikes')}</h2><ul>${dashboard.spikes.map(
      (s) =>
        html`<li><a href="/incidents?status=all&amp;spike=${s.id}">${t('spike_line', { topic: topicAndProblem(config, s), municipality: municipalityName(config, s.municipalityId), count: s.count, at: formatLocal(s.startedAt, config.region.timezone) })}</a>${s.place ? html` · ${s.place}` : ''}</li>`,
    )}</ul></section>`,
  );
}
