/**
 * Extracts, from the official references in ../shared, just the definitions the
 * emulator's conformance tests check, into tests/fixtures/references/{vk,telegram,max}.json.
 * The tests read those fixtures, so a fresh clone without ../shared still runs them;
 * a second test compares the fixtures with ../shared when it is present.
 *
 *   npx tsx tests/tools/snapshot-references.ts [sharedDir]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { MAX_OPERATIONS } from '../../src/emulator/max/max-api.js';
import { TELEGRAM_METHODS } from '../../src/emulator/telegram/telegram-api.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SHARED_DIR = join(REPO_ROOT, '..', 'shared');
export const FIXTURE_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'references');

/** Which response definition of VK's methods.json the emulator answers with. */
export const VK_RESPONSE_KIND: Readonly<Record<string, string>> = {
  'wall.get': 'response',
  'wall.getComments': 'response',
  'wall.createComment': 'response',
  'wall.post': 'response',
  'messages.send': 'deprecatedResponse',
  'messages.getConversations': 'response',
  'messages.getHistory': 'response',
  'groups.getById': 'response',
  'groups.getLongPollServer': 'response',
  'users.get': 'response',
  execute: 'response',
};

/** Methods the emulator also answers with `extended=1`: their `extendedResponse` definition is extracted too. */
export const VK_EXTENDED_METHODS: readonly string[] = ['wall.getComments'];

/** Bots Long Poll event objects the emulator emits, with their definitions in callback/objects.json. */
export const VK_EVENT_DEFINITIONS: Readonly<Record<string, string>> = {
  base: 'callback/objects.json#/definitions/callback_base',
  message_new: 'callback/objects.json#/definitions/callback_message_new',
  wall_reply_new: 'callback/objects.json#/definitions/callback_wall_reply_new',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** Keeps the schema, drops prose: string `description`s and `enumNames` (a property may itself be called description). */
function stripProse(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripProse);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'description' || key === 'enumNames') && typeof value !== 'object') continue;
    out[key] = stripProse(value);
  }
  return out;
}

// === VK

function buildVk(sharedDir: string): Json {
  const root = join(sharedDir, 'vk-api-schema');
  const files = new Map<string, Json>();
  const file = (rel: string): Json => {
    let doc = files.get(rel);
    if (doc === undefined) {
      doc = readJson(join(root, rel));
      files.set(rel, doc);
    }
    return doc;
  };
  /** `../wall/objects.json#/definitions/x` seen from `messages/objects.json` → `wall/objects.json#/definitions/x`. */
  const canonical = (ref: string, fromFile: string): string => {
    const [path = '', pointer = ''] = ref.split('#');
    const target = path === '' ? fromFile : posix.normalize(posix.join(posix.dirname(fromFile), path));
    return `${target}#${pointer}`;
  };
  const lookup = (key: string): Json => {
    const [rel = '', pointer = ''] = key.split('#');
    let node = file(rel);
    for (const part of pointer.split('/').filter(Boolean)) {
      node = (node as Record<string, Json>)[part] ?? null;
      if (node === null) throw new Error(`missing ${key}`);
    }
    return node;
  };
  const definitions: Record<string, Json> = {};
  const collect = (key: string): void => {
    if (key in definitions) return;
    const fromFile = key.split('#')[0] ?? '';
    definitions[key] = null;
    const rewrite = (node: Json): Json => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
          const target = canonical(v, fromFile);
          collect(target);
          out[k] = target;
        } else {
          out[k] = rewrite(v);
        }
      }
      return out;
    };
    definitions[key] = rewrite(stripProse(lookup(key)));
  };

  const methods: Record<string, Json> = {};
  for (const name of Object.keys(VK_RESPONSE_KIND).sort()) {
    const section = name.includes('.') ? (name.split('.')[0] ?? '') : name;
    const doc = file(`${section}/methods.json`) as { methods: { name: string; access_token_type: string[]; responses: Record<string, { $ref: string }> }[] };
    const method = doc.methods.find((m) => m.name === name);
    if (!method) throw new Error(`${name} is not in VK's schema`);
    const kind = VK_RESPONSE_KIND[name] ?? 'response';
    const ref = method.responses[kind]?.$ref;
    if (!ref) throw new Error(`${name} has no ${kind}`);
    const key = canonical(ref, `${section}/methods.json`);
    collect(key);
    methods[name] = { access_token_type: method.access_token_type, response: key };
    if (VK_EXTENDED_METHODS.includes(name)) {
      const extendedRef = method.responses.extendedResponse?.$ref;
      if (!extendedRef) throw new Error(`${name} has no extendedResponse`);
      const extendedKey = canonical(extendedRef, `${section}/methods.json`);
      collect(extendedKey);
      methods[name] = { access_token_type: method.access_token_type, response: key, extendedResponse: extendedKey };
    }
  }
  for (const key of Object.values(VK_EVENT_DEFINITIONS)) collect(key);

  const errorsDoc = file('errors.json') as { errors: Record<string, { code: number; description: string }> };
  const errors: Record<string, Json> = {};
  for (const [name, e] of Object.entries(errorsDoc.errors)) errors[name] = { code: e.code, description: e.description };

  return {
    licence:
      'Extracted from VKCOM/vk-api-schema (MIT License, Copyright (c) 2016 VK.com); descriptions removed. Regenerate with: npx tsx tests/tools/snapshot-references.ts',
    methods,
    events: { ...VK_EVENT_DEFINITIONS },
    errors,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
}

// === Telegram

/** Types the bot sends in requests (method fields, which the snapshot does not follow): checked against what the sender sends. */
export const TELEGRAM_REQUEST_TYPES: readonly string[] = ['InputMediaPhoto'];

interface TgField {
  name: string;
  types: string[];
  required: boolean;
}

function buildTelegram(sharedDir: string): Json {
  const api = readJson(join(sharedDir, 'telegram-bot-api-spec', 'api.json')) as unknown as {
    version: string;
    methods: Record<string, { returns: string[]; fields?: TgField[] }>;
    types: Record<string, { fields?: TgField[]; subtypes?: string[] }>;
  };
  const served = [...Object.keys(TELEGRAM_METHODS), 'getUpdates'].sort();
  const methods: Record<string, Json> = {};
  const types: Record<string, Json> = {};
  const typeNames = (t: string): string[] => [t.replace(/^(Array of )+/, '')];
  const collect = (name: string): void => {
    const type = api.types[name];
    if (!type || name in types) return;
    types[name] = null;
    const fields = (type.fields ?? []).map((f) => ({ name: f.name, types: f.types, required: f.required }));
    types[name] = { fields, ...(type.subtypes ? { subtypes: type.subtypes } : {}) };
    for (const sub of type.subtypes ?? []) collect(sub);
    for (const f of fields) for (const t of f.types) typeNames(t).forEach(collect);
  };
  for (const name of served) {
    const method = api.methods[name];
    if (!method) throw new Error(`${name} is not in the Bot API spec`);
    methods[name] = {
      returns: method.returns,
      fields: (method.fields ?? []).map((f) => ({ name: f.name, types: f.types, required: f.required })),
    };
    for (const r of method.returns) typeNames(r).forEach(collect);
  }
  collect('Update');
  collect('ResponseParameters');
  TELEGRAM_REQUEST_TYPES.forEach(collect);
  return {
    licence:
      'Extracted from PaulSonOfLars/telegram-bot-api-spec (MIT License, Copyright (c) 2020 Paul Larsen); descriptions removed. Regenerate with: npx tsx tests/tools/snapshot-references.ts',
    version: api.version,
    methods,
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
  };
}

// === MAX

/** The schemas of the served operations (request body, 200 answer), of every update and of errors, from the OpenAPI schema. */
function buildMax(sharedDir: string): Json {
  const doc = parseYaml(readFileSync(join(sharedDir, 'max-bot-api-schema', 'schema.yaml'), 'utf8')) as {
    info: { version: string };
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          requestBody?: { content: Record<string, { schema: Json }> };
          responses: Record<string, { $ref?: string; content?: Record<string, { schema: Json }> }>;
        }
      >
    >;
    components: { schemas: Record<string, Json>; responses: Record<string, { content: Record<string, { schema: Json }> }> };
  };
  const schemas: Record<string, Json> = {};
  const collect = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        if (name in schemas) continue;
        const schema = doc.components.schemas[name];
        if (schema === undefined) throw new Error(`missing schema ${name}`);
        schemas[name] = null;
        schemas[name] = stripProse(schema);
        collect(schemas[name]);
      } else if (key === 'mapping' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        // A discriminator's subtypes are named by string, not $ref.
        for (const target of Object.values(value)) collect({ $ref: target });
      } else collect(value);
    }
  };
  /** A response object's JSON schema: inline, or through components.responses. */
  const responseSchema = (response: { $ref?: string; content?: Record<string, { schema: Json }> }): Json => {
    const resolved = response.$ref ? doc.components.responses[response.$ref.replace('#/components/responses/', '')] : response;
    const schema = resolved?.content?.['application/json']?.schema;
    if (schema === undefined) throw new Error('a response without a JSON schema');
    return schema;
  };
  const served = [...MAX_OPERATIONS.map((op) => ({ id: op.id, method: op.method, path: op.path })), { id: 'getUpdates', method: 'GET', path: '/updates' }];
  const operations: Record<string, Json> = {};
  for (const { id, method, path } of served.sort((a, b) => a.id.localeCompare(b.id))) {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op || op.operationId !== id) throw new Error(`${method} ${path} is not ${id} in MAX's schema`);
    const request = op.requestBody?.content['application/json']?.schema ?? null;
    const ok = op.responses['200'];
    if (!ok) throw new Error(`${id} has no 200 answer`);
    operations[id] = { method, path, request, response: responseSchema(ok) };
    collect(operations[id]);
  }
  collect({ $ref: '#/components/schemas/Update' });
  collect({ $ref: '#/components/schemas/Error' });
  return {
    licence:
      'Extracted from max-messenger/api-schema schema.yaml (Apache License 2.0, see LICENSES.md); descriptions removed. Regenerate with: npx tsx tests/tools/snapshot-references.ts',
    version: doc.info.version,
    operations,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The fixtures as the script would write them (used by the freshness test). */
export function buildReferences(sharedDir = DEFAULT_SHARED_DIR): { vk: Json; telegram: Json; max: Json } {
  return { vk: buildVk(sharedDir), telegram: buildTelegram(sharedDir), max: buildMax(sharedDir) };
}

if (process.argv[1] !== undefined && normalize(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sharedDir = process.argv[2] ?? DEFAULT_SHARED_DIR;
  const { vk, telegram, max } = buildReferences(sharedDir);
  writeFileSync(join(FIXTURE_DIR, 'vk.json'), `${JSON.stringify(vk, null, 1)}\n`);
  writeFileSync(join(FIXTURE_DIR, 'telegram.json'), `${JSON.stringify(telegram, null, 1)}\n`);
  writeFileSync(join(FIXTURE_DIR, 'max.json'), `${JSON.stringify(max, null, 1)}\n`);
  console.log(`wrote ${FIXTURE_DIR}/{vk,telegram,max}.json from ${sharedDir}`);
}
