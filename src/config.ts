import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { unknownConfigKeys } from './config-unknown-keys.js';
import { parseProblems } from './detect/problem-schema.js';
import { ALERT_TEMPLATES } from './domain/alert-templates.js';
import { CITIZEN_TEMPLATES } from './domain/citizen-templates.js';
import { TOPIC_IDS } from './domain/detection.js';
import { INCIDENT_STATUSES } from './domain/incident.js';
import { MODERATOR_TEMPLATES } from './domain/moderator-templates.js';
import type { GazetteerPoint } from './domain/nearest-place.js';
import { NO_PROBLEMS, type ProblemCatalog } from './domain/problem.js';
import { type TemplateSpec, templateProblems, unknownTemplateKeys } from './domain/template.js';
import { timeZoneProblem } from './domain/time-zone.js';
import { ConfigError } from './errors.js';
import { intervalSchedule, validateSchedules } from './schedules.js';

// === Schema of config/default.json (+ config/local.json)

const topicId = z.enum(TOPIC_IDS);
const municipalityId = z.string().regex(/^[a-z0-9_-]+$/, 'a lower-case id: letters a-z, digits, _ or -');
const cronExpression = z.string().min(9, 'a cron expression such as "*/5 * * * *"');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * A gazetteer name: a string, or `{name, lat, lon}` with the point (WGS 84 degrees) where a
 * location a citizen sends finds it (src/domain/nearest-place.ts).
 */
const GazetteerName = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict(),
]);

const MunicipalitySchema = z
  .object({
    id: municipalityId,
    name: z.string().min(1),
    /** Settlements (cities, villages) of the municipality, as people write them. */
    settlements: z.array(GazetteerName).default([]),
    /** Streets, without the «ул.» prefix. */
    streets: z.array(GazetteerName).default([]),
  })
  // The detector reads names; the points (names given with coordinates) go apart, for locations.
  .transform((m) => {
    const name = (n: z.infer<typeof GazetteerName>) => (typeof n === 'string' ? n : n.name);
    const points = (kind: GazetteerPoint['kind'], list: z.infer<typeof GazetteerName>[]): GazetteerPoint[] =>
      list.flatMap((n) => (typeof n === 'string' ? [] : [{ municipalityId: m.id, kind, name: n.name, lat: n.lat, lon: n.lon }]));
    return {
      id: m.id,
      name: m.name,
      settlements: m.settlements.map(name),
      streets: m.streets.map(name),
      /** The names given with coordinates. */
      points: [...points('street', m.streets), ...points('settlement', m.settlements)],
    };
  });

const DepartmentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/),
    name: z.string().min(1),
    /** department: a municipal or regional body; uk/tszh: a housing manager; resource: a utility. */
    kind: z.enum(['department', 'uk', 'tszh', 'resource']).default('department'),
    /** null: regional, serves every municipality. */
    municipalityId: municipalityId.nullable().default(null),
    /** Topics the department owns: every problem under them, unless another department owns the problem itself. */
    topics: z.array(topicId).default([]),
    /** Problems (config/problems.json ids) the department owns, whatever its topics: «лифты», «плата за ТКО». */
    problems: z.array(z.string().min(1)).default([]),
  })
  .refine((d) => d.topics.length > 0 || d.problems.length > 0, { message: 'a department needs topics or problems it owns', path: ['topics'] });

const VkCommunitySchema = z.object({
  groupId: z.number().int().positive(),
  name: z.string().min(1),
  municipalityId: municipalityId.nullable().default(null),
  /** Watch wall comments under recent posts. */
  watchWall: z.boolean().default(true),
  /** Receive community messages (the chat-bot) through Bots Long Poll. */
  watchMessages: z.boolean().default(true),
});

const TelegramChatSchema = z.object({
  chatId: z.number().int(),
  title: z.string().min(1),
  municipalityId: municipalityId.nullable().default(null),
});

const MaxChatSchema = z.object({
  chatId: z.number().int(),
  title: z.string().min(1),
  municipalityId: municipalityId.nullable().default(null),
});

const ModeratorSchema = z
  .object({
    platform: z.enum(['telegram', 'vk', 'max']),
    id: z.number().int().positive(),
    name: z.string().min(1),
    role: z.enum(['regional', 'municipal']),
    municipalityId: municipalityId.nullable().default(null),
  })
  .refine((m) => m.role === 'regional' || m.municipalityId !== null, {
    message: 'a municipal moderator needs a municipalityId',
    path: ['municipalityId'],
  });

const SlaRuleSchema = z.object({
  /** Topics this rule covers; empty: any topic (unless `problems` narrows it). */
  topics: z.array(topicId).default([]),
  /** Problems this rule covers (config/problems.json ids); a rule with both matches either. */
  problems: z.array(z.string().min(1)).default([]),
  urgency: z.enum(['emergency', 'normal', 'any']).default('any'),
  /** First public reaction (acceptance), hours. */
  acceptHours: z.number().positive(),
  /** Official answer, hours. */
  answerHours: z.number().positive(),
  /** working: count only the working calendar's hours; plain: wall-clock hours. */
  clock: z.enum(['working', 'plain']),
});

const TemplatesSchema = z.record(z.string(), z.string().min(1));

export const FileConfigSchema = z
  .object({
    region: z
      .object({
        name: z.string().min(1),
        /** IANA zone for schedules, the working calendar and dates in messages. */
        timezone: z
          .string()
          .min(1)
          .default('Europe/Moscow')
          // Checked here, before anything starts: node-cron would throw a bare RangeError at the first schedule.
          .superRefine((name, ctx) => {
            const problem = timeZoneProblem(name);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        /** Language of the reply templates. */
        language: z.string().default('ru'),
      })
      .default({ name: 'Регион', timezone: 'Europe/Moscow', language: 'ru' }),
    database: z.object({ path: z.string().min(1).default('./data/otklik.sqlite') }).default({ path: './data/otklik.sqlite' }),
    vk: z
      .object({
        apiBaseUrl: z.url().default('https://api.vk.com/method'),
        apiVersion: z.string().default('5.199'),
        /** Wall polling period, the freshness of VK comments: the default of `schedules.vkPoll`. */
        pollIntervalSeconds: z.number().int().min(5).max(3600).default(60),
        /** Recent posts watched per community. */
        postsPerCommunity: z.number().int().min(1).max(100).default(20),
        /** Request budget of the reading token (VK: 3/s for a user token). */
        readerRequestsPerSecond: z.number().positive().max(20).default(3),
        /** Request budget of each community token (VK: 20/s). */
        communityRequestsPerSecond: z.number().positive().max(20).default(20),
        requestTimeoutMs: z.number().int().positive().default(15_000),
        communities: z.array(VkCommunitySchema).default([]),
      })
      .prefault({}),
    telegram: z
      .object({
        enabled: z.boolean().default(true),
        apiRoot: z.url().default('https://api.telegram.org'),
        /** The moderators' chat: incident cards, reminders, alerts, digests. */
        moderatorsChatId: z.number().int().nullable().default(null),
        chats: z.array(TelegramChatSchema).default([]),
        /** Long poll wait of getUpdates, seconds. */
        pollTimeoutSeconds: z.number().int().min(0).max(50).default(25),
        requestTimeoutMs: z.number().int().positive().default(40_000),
        /** Timeout of a send (sendMessage, sendPhoto, edits): longer than reads, since a send that times out may still arrive. */
        sendTimeoutMs: z.number().int().positive().default(60_000),
      })
      .prefault({}),
    max: z
      .object({
        enabled: z.boolean().default(true),
        /** The MAX Bot API (env MAX_API_BASE_URL; tests and the demo point it at the emulator). */
        apiBaseUrl: z.url().default('https://platform-api2.max.ru'),
        /**
         * How updates arrive. webhook: MAX pushes them to `webhook.publicUrl` (production; HTTPS on 443
         * through a reverse proxy to the ops HTTP server); longpoll: GET /updates (development, the
         * demo, a setup without a public address). Never both: MAX refuses long polling while
         * subscribed, and the bot removes its subscriptions when it starts in longpoll mode.
         */
        mode: z.enum(['webhook', 'longpoll']).default('webhook'),
        webhook: z
          .object({
            /** The public HTTPS address MAX posts to (the reverse proxy's, port 443), e.g. https://bot.cur.example.ru/max/webhook. */
            publicUrl: z.url().nullable().default(null),
            /** The path the ops HTTP server receives webhooks on (what the reverse proxy forwards to). */
            path: z
              .string()
              .regex(/^\/[\w\-/.]*$/, 'a path such as /max/webhook')
              .default('/max/webhook'),
          })
          .prefault({}),
        /** The moderators' chat in MAX (instead of the Telegram one; never both). */
        moderatorsChatId: z.number().int().nullable().default(null),
        /** Group chats (house chats of buildings too) whose messages are read. The bot must be an admin with read_all_messages. */
        chats: z.array(MaxChatSchema).default([]),
        /** Channels whose posts' comments are read. The bot must be an admin with read_all_messages. */
        channels: z.array(MaxChatSchema).default([]),
        /** Long poll wait of GET /updates, seconds (MAX: up to 90). */
        pollTimeoutSeconds: z.number().int().min(0).max(90).default(30),
        requestTimeoutMs: z.number().int().positive().default(15_000),
        /** Timeout of a send (messages, comments, edits, uploads): longer than reads. */
        sendTimeoutMs: z.number().int().positive().default(60_000),
        /** Requests per second the bot makes (MAX: about 30). */
        requestsPerSecond: z.number().positive().max(30).default(30),
      })
      .prefault({}),
    municipalities: z.array(MunicipalitySchema).default([]),
    departments: z.array(DepartmentSchema).default([]),
    moderators: z.array(ModeratorSchema).default([]),
    /** Reply templates per language: key -> text with {number}, {text}, {status}… placeholders. */
    templates: z.record(z.string(), TemplatesSchema).default({}),
    outbox: z
      .object({
        batchSize: z.number().int().min(1).max(500).default(50),
        /** After this many failed attempts a row is given up ('dead') and moderators are told. */
        maxAttempts: z.number().int().min(1).default(12),
        backoffBaseMs: z.number().int().min(10).default(2000),
        backoffMaxMs: z
          .number()
          .int()
          .min(100)
          .default(15 * 60_000),
        leaseMs: z.number().int().min(1000).default(60_000),
        /**
         * A send whose outcome is unknown (timed out, or an unreadable answer) may have arrived; it is
         * retried only after this long, when a possible duplicate is less harmful than silence.
         */
        unknownOutcomeDelayMs: z
          .number()
          .int()
          .min(0)
          .default(5 * 60_000),
      })
      .prefault({}),
    incidents: z
      .object({
        /** Reports of the same topic and place within this window are linked to one incident. */
        duplicateWindowHours: z.number().positive().default(24),
        /** Longest moderator text accepted in /answer, /ask, /interim, /reject. */
        maxReplyLength: z.number().int().min(50).max(4000).default(3000),
        statuses: z.array(z.enum(INCIDENT_STATUSES)).default([...INCIDENT_STATUSES]),
      })
      .prefault({}),
    /**
     * Ready answers to frequent questions: a question naming one of an entry's phrases (or of the
     * detector's problems) gets the template `faq_<id>` (with {link}) in its thread at once; any
     * other question goes to the moderators as a question card.
     */
    faq: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9_]+$/, 'a lower-case id: letters a-z, digits or _'),
            /** Phrases, any one matches; each word matches the start of a word («расписание автобус»). */
            words: z
              .array(
                z
                  .string()
                  .min(2)
                  .transform((w) => w.toLowerCase()),
              )
              .default([]),
            /** Problem ids of the detector's taxonomy this entry answers. */
            problems: z.array(z.string().min(1)).default([]),
            /** Filled into the answer's {link}: the page with the full answer. */
            link: z.url().nullable().default(null),
          })
          .refine((e) => e.words.length > 0 || e.problems.length > 0, { message: 'an FAQ entry needs words or problems' }),
      )
      .default([])
      .refine((entries) => new Set(entries.map((e) => e.id)).size === entries.length, { message: 'FAQ ids must be unique' }),
    threading: z
      .object({
        /**
         * Minutes after a citizen's latest message on an open incident during which a plain message of
         * theirs in the same conversation that is about the same problem is an addition to it. Replies to
         * the bot's acknowledgement or to the citizen's own message, and comments in the same VK comment
         * thread, are additions whatever the time.
         */
        windowMinutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(180),
      })
      .prefault({}),
    workingCalendar: z
      .object({
        /** ISO weekdays 1 (Mon) … 7 (Sun). */
        workingDays: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
        dayStart: hhmm.default('09:00'),
        dayEnd: hhmm.default('18:00'),
        holidays: z.array(isoDate).default([]),
        /** Weekend days that are working days by decree (перенос). */
        extraWorkingDays: z.array(isoDate).default([]),
      })
      .prefault({}),
    sla: z
      .object({
        /** The first rule that matches an incident decides its due times. */
        rules: z.array(SlaRuleSchema).default([
          { topics: [], problems: [], urgency: 'emergency', acceptHours: 1, answerHours: 4, clock: 'plain' },
          { topics: [], problems: [], urgency: 'any', acceptHours: 3, answerHours: 9, clock: 'working' },
        ]),
        /** A reminder goes out when this share of the time to a deadline has passed. */
        remindAtShare: z.number().min(0.1).max(0.99).default(0.75),
        /** An intermediate answer moves the answer deadline to at most this many working days. */
        interimMaxWorkingDays: z.number().positive().default(7),
        /** A missed deadline escalates to the regional moderators after this many more hours (in the rule's clock). */
        escalateAfterHours: z.number().min(0).default(2),
      })
      .prefault({}),
    spikes: z
      .object({
        /** The counting window; compared with the same hours on previous days, so at most a day. */
        windowHours: z.number().positive().max(24).default(3),
        baselineDays: z.number().int().positive().default(14),
        /** A spike needs at least this many incidents in the window, whatever the baseline. */
        minCount: z.number().int().min(2).default(5),
        /** One-sided Poisson tail probability below which the count is a spike. */
        pValue: z.number().positive().max(0.5).default(0.001),
        /** Example texts quoted in an alert. */
        examples: z.number().int().min(0).max(10).default(3),
      })
      .prefault({}),
    /** Citizens' locations: how near a gazetteer point (a street or settlement with coordinates) must be to name the place. */
    location: z
      .object({
        streetRadiusMeters: z.number().positive().max(50_000).default(700),
        settlementRadiusMeters: z.number().positive().max(200_000).default(15_000),
        /** A map link for moderators, with {lat} and {lon}. */
        mapUrl: z
          .string()
          .regex(/^https?:\/\/\S+$/, 'an http(s) address')
          .refine((url) => url.includes('{lat}') && url.includes('{lon}'), 'the address needs {lat} and {lon}')
          .default('https://yandex.ru/maps/?pt={lon},{lat}&z=17&l=map'),
      })
      .prefault({}),
    /**
     * Citizens' files (photos, documents, video, voice). By default only their metadata is kept (the
     * platform's URL or file id); with `download` they are fetched into `dir`, and retention deletes
     * them with the rest of the citizen's data.
     */
    media: z
      .object({
        download: z.boolean().default(false),
        dir: z.string().min(1).default('./data/media'),
        /** A bigger file is not fetched (its metadata stays). Telegram lets bots download up to 20 MB. */
        maxFileBytes: z
          .number()
          .int()
          .positive()
          .default(20 * 1024 * 1024),
        /** The directory's cap: no file is fetched once the kept files reach it. */
        maxTotalBytes: z
          .number()
          .int()
          .positive()
          .default(2 * 1024 * 1024 * 1024),
        /** Per request. */
        timeoutMs: z.number().int().positive().default(30_000),
        /**
         * Hosts VK files may be fetched from (a host or any subdomain of it): a URL in a platform's
         * answer that points anywhere else is not fetched. Telegram files come from telegram.apiRoot.
         */
        allowedHosts: z
          .array(
            z
              .string()
              .min(1)
              .regex(/^[a-z0-9.-]+$/i, 'a host name'),
          )
          .default(['userapi.com', 'vk.com', 'vk.me', 'vkuseraudio.net', 'vkuser.net', 'vk-cdn.net']),
      })
      .prefault({}),
    /**
     * Bursts in the moderators' chat (src/moderation/burst-summaries.ts): Telegram takes 20 messages a
     * minute in a group, so while cards pile up each group of incidents gets one summary with buttons.
     */
    burst: z
      .object({
        /** Cards waiting for the moderators' chat that make a burst: from then on new incidents join a summary. */
        pendingCards: z.number().int().min(1).default(10),
        /** A summary no incident joined for this long is done; the next burst opens a new one. */
        quietMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30),
        /** Least seconds between two edits of one summary (each is a message of the chat's 20 a minute). */
        editIntervalSeconds: z.number().int().min(1).max(600).default(15),
        /** «№N» buttons per page of a summary. */
        buttonsPerPage: z.number().int().min(1).max(60).default(24),
      })
      .prefault({}),
    retention: z
      .object({
        /** Texts and names of messages that were not appeals are deleted after this many days. */
        nonAppealDays: z.number().int().positive().default(30),
        /** Closed incidents are anonymised after this many days. */
        closedIncidentDays: z.number().int().positive().default(365),
      })
      .prefault({}),
    schedules: z
      .object({
        /** VK wall polling; default: every `vk.pollIntervalSeconds`. */
        vkPoll: cronExpression.optional(),
        outbox: cronExpression.default('*/5 * * * * *'),
        deadlines: cronExpression.default('*/5 * * * *'),
        spikes: cronExpression.default('*/10 * * * *'),
        digest: cronExpression.default('0 9 * * *'),
        retention: cronExpression.default('30 3 * * *'),
        /** Fetching citizens' files, when media.download is on. */
        media: cronExpression.default('*/30 * * * * *'),
      })
      .prefault({}),
    digest: z
      .object({
        /** Attach a PNG chart (incidents per day by topic, answer times). */
        chart: z.boolean().default(true),
        /** Days shown in the chart. */
        chartDays: z.number().int().min(2).max(90).default(14),
        /** Where chart PNGs are written; the outbox uploads the day's chart from here (sendPhoto), so keep them a few days. */
        chartDir: z.string().min(1).default('./data/digests'),
        /** Overdue incident numbers listed in full; the rest are counted. */
        maxListed: z.number().int().min(0).max(100).default(15),
      })
      .prefault({}),
    announcements: z
      .object({
        /** Post to the walls of the VK communities in scope. */
        vkWall: z.boolean().default(true),
        /** Post to the Telegram chats in scope. */
        telegramChats: z.boolean().default(true),
        /** Post to the MAX group (house) chats in scope. */
        maxChats: z.boolean().default(true),
        maxLength: z.number().int().min(50).max(4000).default(3000),
        /** At most this many open incidents get the announcement as a reply. */
        maxIncidentReplies: z.number().int().min(0).default(500),
      })
      .prefault({}),
    http: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9464),
      })
      .prefault({}),
    /** The operators' web console and the Open311 read API (src/console/): a second listener, off by default. */
    console: z
      .object({
        enabled: z.boolean().default(false),
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9465),
        /** The address people open (the reverse proxy's https://…); sign-in links point there. Null: http://host:port as bound. */
        publicUrl: z.url().nullable().default(null),
        /** A session ends this many hours after sign-in. */
        sessionHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(12),
        /** A /login link works once, for this many minutes. */
        loginLinkMinutes: z.number().positive().max(60).default(10),
        /** Rows per page of the incident table. */
        pageSize: z.number().int().min(10).max(500).default(50),
        /** The most incidents one bulk action over a filter may change. */
        bulkMax: z.number().int().min(1).max(5000).default(1000),
        /** The least complaints of a period that put a body (municipality, department) in the dashboard's rating. */
        ratingMinVolume: z.number().int().min(1).max(100_000).default(10),
        open311: z
          .object({
            enabled: z.boolean().default(true),
            /** Publish only incidents that got an answer (answered, closed). */
            onlyAnswered: z.boolean().default(false),
            /** The jurisdiction_id of discovery and every request. */
            jurisdictionId: z.string().min(1).default('otklik'),
          })
          .prefault({}),
      })
      .prefault({}),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        pretty: z.boolean().default(false),
      })
      .prefault({}),
  })
  // Without an explicit schedules.vkPoll, walls are polled every vk.pollIntervalSeconds.
  .transform((file) => ({ ...file, schedules: { ...file.schedules, vkPoll: file.schedules.vkPoll ?? intervalSchedule(file.vk.pollIntervalSeconds) } }));

export type FileConfig = z.infer<typeof FileConfigSchema>;
export type MunicipalityConfig = z.infer<typeof MunicipalitySchema>;
export type DepartmentConfig = z.infer<typeof DepartmentSchema>;
export type VkCommunityConfig = z.infer<typeof VkCommunitySchema>;
export type TelegramChatConfig = z.infer<typeof TelegramChatSchema>;
export type MaxChatConfig = z.infer<typeof MaxChatSchema>;
export type ModeratorConfig = z.infer<typeof ModeratorSchema>;
export type SlaRule = z.infer<typeof SlaRuleSchema>;

// === Secrets: from the environment only

/** How wall comments are read: a user token can batch with `execute`; a service token cannot. */
export type VkReader = { kind: 'user'; token: string } | { kind: 'service'; token: string };

export interface Secrets {
  vkReader: VkReader | null;
  /** groupId -> community token (replies, community messages, long poll). */
  vkCommunityTokens: Map<number, string>;
  telegramToken: string | null;
  /** MAX_BOT_TOKEN, when MAX is used. */
  maxToken: string | null;
  /** MAX_WEBHOOK_SECRET: echoed by MAX in X-Max-Bot-Api-Secret on every webhook request (webhook mode). */
  maxWebhookSecret: string | null;
}

export interface Config extends FileConfig {
  configDir: string;
  secrets: Secrets;
  /** The problems under the topics, from config/problems.json (empty without the file). */
  problems: ProblemCatalog;
}

/** Every secret value, for redaction in logs and error messages. */
export function secretValues(config: Pick<Config, 'secrets'>): string[] {
  const { vkReader, vkCommunityTokens, telegramToken, maxToken, maxWebhookSecret } = config.secrets;
  return [vkReader?.token, telegramToken, maxToken, maxWebhookSecret, ...vkCommunityTokens.values()].filter((v): v is string => Boolean(v));
}

export function communityTokenVariable(groupId: number): string {
  return `VK_COMMUNITY_TOKEN_${groupId}`;
}

// === createConfig: pure, from parsed files and the environment

export interface ConfigSources {
  configDir: string;
  /** Parsed config/default.json. */
  defaults: unknown;
  /** Parsed config/local.json, when present. */
  local?: unknown;
  /** Parsed config/problems.json, when present; without it incidents are grouped by topic only. */
  problems?: unknown;
  env: Readonly<Record<string, string | undefined>>;
  /** Where `local` was read from, to name it in refusals; default "config/local.json". */
  localPath?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars from the override replace the base. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

/** A value the environment sets: which variable, and its text as given. */
interface EnvOrigin {
  name: string;
  raw: string;
}

/** The overrides from the environment, and which variable set each config path (`http.port` → HTTP_PORT). */
function envOverrides(env: ConfigSources['env']): { values: Record<string, unknown>; origins: Map<string, EnvOrigin> } {
  const values: Record<string, Record<string, unknown>> = {};
  const origins = new Map<string, EnvOrigin>();
  const set = (section: string, key: string, name: string, parse: (raw: string) => unknown = (raw) => raw) => {
    const raw = env[name];
    if (!raw) return;
    values[section] = { ...(values[section] ?? {}), [key]: parse(raw) };
    origins.set(`${section}.${key}`, { name, raw });
  };
  // A value that does not parse stays the text given, so the schema refuses it and names the variable.
  const integer = (raw: string): unknown => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw);
  const flag = (raw: string): unknown => {
    const word = raw.trim().toLowerCase();
    return ['1', 'true', 'yes'].includes(word) ? true : ['0', 'false', 'no'].includes(word) ? false : raw;
  };
  set('database', 'path', 'OTKLIK_DB_PATH');
  set('vk', 'apiBaseUrl', 'VK_API_BASE_URL');
  set('telegram', 'apiRoot', 'TELEGRAM_API_ROOT');
  set('max', 'apiBaseUrl', 'MAX_API_BASE_URL');
  set('logging', 'level', 'LOG_LEVEL');
  set('logging', 'pretty', 'LOG_PRETTY', flag);
  set('http', 'port', 'HTTP_PORT', integer);
  set('console', 'port', 'CONSOLE_PORT', integer);
  return { values, origins };
}

function describeValue(root: unknown, path: PropertyKey[]): string {
  let value: unknown = root;
  for (const key of path) value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Zod issues as indented lines naming each key, its value and the problem; a value set by the
 * environment is named by its variable and the text given (`HTTP_PORT = "abc" (http.port)`).
 */
export function formatIssues(error: z.ZodError, input: unknown, origins: ReadonlyMap<string, EnvOrigin> = new Map()): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const origin = origins.get(key);
      if (origin) return `  - ${origin.name} = ${JSON.stringify(origin.raw.slice(0, 80))} (environment, sets ${key}): ${issue.message}`;
      return `  - ${key} = ${describeValue(input, issue.path)}: ${issue.message}`;
    })
    .join('\n');
}

function requireVar(env: ConfigSources['env'], name: string, why: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigError(
      `Missing environment variable ${name} (${why}). ` +
        'Copy .env.example to .env and fill it in, or run `npm run demo` to see Otklik work against the built-in emulator without tokens.',
    );
  }
  return value;
}

/** Validate everything once. Throws ConfigError naming the key, the value and what is expected. */
export function createConfig(sources: ConfigSources): Config {
  const file = parseFiles(sources.configDir, sources.defaults, sources.local, sources.localPath, sources.env);
  const problems = sources.problems === undefined ? NO_PROBLEMS : parseProblemsOrThrow(sources.problems, join(sources.configDir, PROBLEMS_FILE));
  checkReferences(file, problems);
  checkTemplates(file);
  // A bad cron expression stops the start here, naming the key, not at the first tick.
  validateSchedules(file.schedules);

  const env = sources.env;
  const communities = file.vk.communities;
  let vkReader: VkReader | null = null;
  if (communities.some((c) => c.watchWall)) {
    if (env.VK_USER_TOKEN?.trim()) vkReader = { kind: 'user', token: env.VK_USER_TOKEN.trim() };
    else if (env.VK_SERVICE_TOKEN?.trim()) vkReader = { kind: 'service', token: env.VK_SERVICE_TOKEN.trim() };
    else requireVar(env, 'VK_USER_TOKEN', 'a VK user token to read community walls; VK_SERVICE_TOKEN also works, with more requests');
  }
  const vkCommunityTokens = new Map<number, string>();
  for (const community of communities) {
    vkCommunityTokens.set(
      community.groupId,
      requireVar(env, communityTokenVariable(community.groupId), `the community token of «${community.name}», to reply as the community`),
    );
  }
  const telegramToken =
    file.telegram.enabled && (file.telegram.chats.length > 0 || file.telegram.moderatorsChatId !== null || env.TELEGRAM_BOT_TOKEN)
      ? requireVar(env, 'TELEGRAM_BOT_TOKEN', 'the Telegram bot token from @BotFather')
      : null;

  const { maxToken, maxWebhookSecret } = maxSecrets(file, env);
  return { ...file, configDir: sources.configDir, secrets: { vkReader, vkCommunityTokens, telegramToken, maxToken, maxWebhookSecret }, problems };
}

/** The taxonomy's file name in the config directory. */
export const PROBLEMS_FILE = 'problems.json';

function parseProblemsOrThrow(raw: unknown, where: string): ProblemCatalog {
  try {
    return parseProblems(raw, where);
  } catch (cause) {
    throw new ConfigError((cause as Error).message, { cause });
  }
}

/** True when the config gives MAX anything to do (a chat, a channel, the moderators' chat). */
export function maxInUse(file: Pick<FileConfig, 'max'>): boolean {
  const { max } = file;
  return max.enabled && (max.chats.length > 0 || max.channels.length > 0 || max.moderatorsChatId !== null);
}

/** The MAX token (and, for webhooks, the secret and a public URL) whenever MAX is used. */
function maxSecrets(file: FileConfig, env: ConfigSources['env']): Pick<Secrets, 'maxToken' | 'maxWebhookSecret'> {
  if (!maxInUse(file) && !(file.max.enabled && env.MAX_BOT_TOKEN?.trim())) return { maxToken: null, maxWebhookSecret: null };
  const maxToken = requireVar(env, 'MAX_BOT_TOKEN', 'the MAX bot token from the MAX partner platform (Чат-боты → Расширенные настройки)');
  if (file.max.mode !== 'webhook') return { maxToken, maxWebhookSecret: null };
  const secret = requireVar(
    env,
    'MAX_WEBHOOK_SECRET',
    'the secret MAX echoes on every webhook request, 5-256 letters, digits, _ or -; or set max.mode to "longpoll"',
  );
  if (!/^[\w-]{5,256}$/.test(secret)) throw new ConfigError('MAX_WEBHOOK_SECRET must be 5-256 characters of A-Z, a-z, 0-9, _ or - (MAX refuses any other)');
  const problems: string[] = [];
  const publicUrl = file.max.webhook.publicUrl;
  if (publicUrl === null)
    problems.push('  - max.webhook.publicUrl = null: webhook mode needs the public https:// address MAX posts to (or set max.mode to "longpoll")');
  else if (!publicUrl.startsWith('https://') && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(publicUrl)) {
    // MAX posts only to HTTPS on 443 (plain HTTP webhooks ended on 25 May 2026); plain http is for the emulator on loopback.
    problems.push(`  - max.webhook.publicUrl = "${publicUrl}": MAX delivers webhooks only to https:// (a reverse proxy on port 443)`);
  }
  if (!file.http.enabled) problems.push('  - http.enabled = false: MAX webhooks are received by the ops HTTP server; enable it (behind the reverse proxy)');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return { maxToken, maxWebhookSecret: secret };
}

/**
 * The files and the environment, merged and validated: unknown keys in either file are refused
 * with the closest known key (zod would drop them silently), then every value is checked.
 */
function parseFiles(configDir: string, defaults: unknown, local: unknown, localPath: string | undefined, env: ConfigSources['env']): FileConfig {
  const unknown = [
    ...unknownConfigKeys(FileConfigSchema, defaults, join(configDir, 'default.json')),
    ...unknownConfigKeys(FileConfigSchema, local ?? {}, localPath ?? 'config/local.json'),
  ];
  if (unknown.length > 0) throw new ConfigError(`Invalid configuration:\n${unknown.join('\n')}`);
  const overrides = envOverrides(env);
  const merged = deepMerge(deepMerge(defaults, local ?? {}), overrides.values);
  const parsed = FileConfigSchema.safeParse(merged);
  if (!parsed.success)
    throw new ConfigError(`Invalid configuration in ${configDir}:\n${formatIssues(parsed.error, merged, overrides.origins)}`, { cause: parsed.error });
  return parsed.data;
}

/** Ids that point at other parts of the config must exist. */
function checkReferences(file: FileConfig, catalog: ProblemCatalog): void {
  const municipalities = new Set(file.municipalities.map((m) => m.id));
  const problems: string[] = [];
  const check = (where: string, id: string | null) => {
    if (id !== null && !municipalities.has(id)) problems.push(`  - ${where} = "${id}": no municipality with this id in municipalities[]`);
  };
  file.vk.communities.forEach((c, i) => check(`vk.communities.${i}.municipalityId`, c.municipalityId));
  file.telegram.chats.forEach((c, i) => check(`telegram.chats.${i}.municipalityId`, c.municipalityId));
  file.max.chats.forEach((c, i) => check(`max.chats.${i}.municipalityId`, c.municipalityId));
  file.max.channels.forEach((c, i) => check(`max.channels.${i}.municipalityId`, c.municipalityId));
  if (file.telegram.moderatorsChatId !== null && file.max.moderatorsChatId !== null) {
    problems.push(
      `  - max.moderatorsChatId = ${file.max.moderatorsChatId}: telegram.moderatorsChatId is set too; moderators work in one chat, set one of them to null`,
    );
  }
  file.moderators.forEach((m, i) => check(`moderators.${i}.municipalityId`, m.municipalityId));
  file.departments.forEach((d, i) => check(`departments.${i}.municipalityId`, d.municipalityId));
  const checkProblem = (where: string, id: string) => {
    if (!catalog.has(id)) problems.push(`  - ${where} = "${id}": no problem with this id in ${PROBLEMS_FILE}`);
  };
  file.departments.forEach((d, i) => d.problems.forEach((id, k) => checkProblem(`departments.${i}.problems.${k}`, id)));
  file.sla.rules.forEach((r, i) => r.problems.forEach((id, k) => checkProblem(`sla.rules.${i}.problems.${k}`, id)));
  file.faq.forEach((e, i) => e.problems.forEach((id, k) => checkProblem(`faq.${i}.problems.${k}`, id)));
  const seen = new Set<number>();
  file.vk.communities.forEach((c, i) => {
    if (seen.has(c.groupId)) problems.push(`  - vk.communities.${i}.groupId = ${c.groupId}: listed twice`);
    seen.add(c.groupId);
  });
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/** The answer template of each FAQ entry: `faq_<id>`, with {link} when the entry has one. */
function faqTemplates(entries: FileConfig['faq']): Record<string, TemplateSpec> {
  return Object.fromEntries(entries.map((e) => [`faq_${e.id}`, { required: e.link ? ['link'] : [], optional: ['link'] }]));
}

/**
 * Every template the bot sends is there, with the placeholders it must carry and no others: the
 * citizens' replies (src/domain/citizen-templates.ts), the moderators' alerts
 * (src/domain/alert-templates.ts) and their other texts: cards, command replies
 * (src/domain/moderator-templates.ts).
 */
function checkTemplates(file: FileConfig): void {
  const describe = (text: string) => describeValue(text, []);
  const groups: [Readonly<Record<string, TemplateSpec>>, string][] = [
    [CITIZEN_TEMPLATES, "a citizens' reply template"],
    [ALERT_TEMPLATES, "a moderators' alert template"],
    [MODERATOR_TEMPLATES, "a moderators' text template"],
    [faqTemplates(file.faq), 'an FAQ answer template (config faq)'],
  ];
  const problems = [
    ...groups.flatMap(([specs, what]) => templateProblems(file, specs, what, describe)),
    ...unknownTemplateKeys(file.templates, new Set(groups.flatMap(([specs]) => Object.keys(specs)))),
  ];
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

// === loadConfig: the IO half, called only from main.ts

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`Cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

/** Read config/default.json, config/local.json (optional) and the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, configDir = env.OTKLIK_CONFIG_DIR ?? 'config'): Config {
  const dir = resolve(configDir);
  const localPath = env.OTKLIK_CONFIG_LOCAL ?? join(dir, 'local.json');
  return createConfig({ ...readConfigFiles(dir), local: existsSync(localPath) ? readJson(localPath) : undefined, localPath, env });
}

/**
 * The shipped files of a config folder as `createConfig` takes them: `default.json` and
 * `problems.json` (the demo, the bench and tests add their own `local` part and environment).
 */
export function readConfigFiles(dir: string): Pick<ConfigSources, 'configDir' | 'defaults' | 'problems'> {
  return { configDir: dir, defaults: readJson(join(dir, 'default.json')), problems: readProblemsFileIfAny(dir) };
}

/** Parsed `<dir>/problems.json`, or undefined when the region keeps no problems. */
export function readProblemsFileIfAny(dir: string): unknown {
  const path = join(dir, PROBLEMS_FILE);
  return existsSync(path) ? readJson(path) : undefined;
}

/**
 * The files and environment overrides without the secrets: for tools (migrate, stats, export)
 * that touch only the database and must work on a machine without tokens.
 */
export function loadConfigFilesOnly(
  env: NodeJS.ProcessEnv = process.env,
  configDir = env.OTKLIK_CONFIG_DIR ?? 'config',
): FileConfig & { configDir: string; problems: ProblemCatalog } {
  const dir = resolve(configDir);
  const localPath = env.OTKLIK_CONFIG_LOCAL ?? join(dir, 'local.json');
  const file = parseFiles(dir, readJson(join(dir, 'default.json')), existsSync(localPath) ? readJson(localPath) : undefined, localPath, env);
  const raw = readProblemsFileIfAny(dir);
  return { ...file, configDir: dir, problems: raw === undefined ? NO_PROBLEMS : parseProblemsOrThrow(raw, join(dir, PROBLEMS_FILE)) };
}
