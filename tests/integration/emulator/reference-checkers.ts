/**
 * Small validators for the extracted references in tests/fixtures/references:
 * VK's JSON schema (draft-03 style, `"required": true` on properties, `$ref`s
 * already rewritten to keys of `definitions`) and the Bot API spec's type table.
 * Each returns the list of problems, empty when the value conforms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = new URL('../../fixtures/references/', import.meta.url).pathname;

type Schema = { [key: string]: unknown };

export interface VkReference {
  methods: Record<string, { access_token_type: string[]; response: string; extendedResponse?: string }>;
  events: Record<string, string>;
  errors: Record<string, { code: number; description: string }>;
  definitions: Record<string, Schema>;
}

export interface TgField {
  name: string;
  types: string[];
  required: boolean;
}

export interface TelegramReference {
  version: string;
  methods: Record<string, { returns: string[]; fields: TgField[] }>;
  types: Record<string, { fields: TgField[]; subtypes?: string[] }>;
}

export function loadReferences(): { vk: VkReference; telegram: TelegramReference } {
  return {
    vk: JSON.parse(readFileSync(join(FIXTURE_DIR, 'vk.json'), 'utf8')) as VkReference,
    telegram: JSON.parse(readFileSync(join(FIXTURE_DIR, 'telegram.json'), 'utf8')) as TelegramReference,
  };
}

// === VK

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/** Validates `value` against a VK schema node; resolves `$ref`, allOf, oneOf/anyOf, type, enum, properties, items. */
export function checkVkSchema(ref: VkReference, schema: Schema, value: unknown, path = '$', depth = 0): string[] {
  if (depth > 40) return [];
  const problems: string[] = [];
  if (typeof schema.$ref === 'string') {
    const target = ref.definitions[schema.$ref];
    if (!target) return [`${path}: unresolved $ref ${schema.$ref}`];
    problems.push(...checkVkSchema(ref, target, value, path, depth + 1));
  }
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf as Schema[]) problems.push(...checkVkSchema(ref, sub, value, path, depth + 1));
  }
  for (const key of ['oneOf', 'anyOf']) {
    const options = schema[key];
    if (Array.isArray(options) && !(options as Schema[]).some((sub) => checkVkSchema(ref, sub, value, path, depth + 1).length === 0)) {
      problems.push(`${path}: matches none of ${key}`);
    }
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, jsonType(value)))) {
      return [...problems, `${path}: expected ${types.join('|')}, got ${jsonType(value)}`];
    }
  }
  if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) {
    problems.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const requiredList = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    for (const [name, sub] of Object.entries(properties)) {
      const required = sub.required === true || requiredList.includes(name);
      if (!(name in object)) {
        if (required) problems.push(`${path}.${name}: required but missing`);
        continue;
      }
      problems.push(...checkVkSchema(ref, sub, object[name], `${path}.${name}`, depth + 1));
    }
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    value.forEach((item, i) => problems.push(...checkVkSchema(ref, schema.items as Schema, item, `${path}[${i}]`, depth + 1)));
  }
  return problems;
}

/** Validates a whole VK answer (`{response: …}`) against the method's response (or extendedResponse) definition. */
export function checkVkResponse(ref: VkReference, method: string, body: unknown, kind: 'response' | 'extendedResponse' = 'response'): string[] {
  const def = ref.methods[method];
  if (!def) return [`${method}: not in the reference`];
  const key = def[kind];
  if (!key) return [`${method}: no ${kind} in the reference`];
  return checkVkSchema(ref, { $ref: key }, body);
}

// === Telegram

function checkTgFieldType(ref: TelegramReference, typeName: string, value: unknown, path: string): string[] {
  const array = /^Array of (.+)$/.exec(typeName);
  if (array) {
    if (!Array.isArray(value)) return [`${path}: expected ${typeName}`];
    return value.flatMap((item, i) => checkTgFieldType(ref, array[1] ?? '', item, `${path}[${i}]`));
  }
  switch (typeName) {
    case 'Integer':
      return Number.isInteger(value) ? [] : [`${path}: expected Integer, got ${JSON.stringify(value)}`];
    case 'Float':
      return typeof value === 'number' ? [] : [`${path}: expected Float`];
    case 'String':
      return typeof value === 'string' ? [] : [`${path}: expected String, got ${jsonType(value)}`];
    case 'Boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected Boolean`];
    case 'True':
      return value === true ? [] : [`${path}: expected True`];
    default:
      return checkTgType(ref, typeName, value, path);
  }
}

/**
 * Checks an object against a Bot API type: every required field present, every
 * field known to the type, and each field of the right type, recursively. A type
 * with subtypes (ChatMember, MaybeInaccessibleMessage) accepts any of them.
 */
export function checkTgType(ref: TelegramReference, typeName: string, value: unknown, path = '$'): string[] {
  const type = ref.types[typeName];
  if (!type) return [`${path}: unknown type ${typeName}`];
  if (type.subtypes) {
    const attempts = type.subtypes.map((sub) => checkTgType(ref, sub, value, path));
    return attempts.some((a) => a.length === 0) ? [] : [`${path}: matches no subtype of ${typeName}: ${attempts.map((a) => a[0]).join('; ')}`];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected ${typeName} object`];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of type.fields) {
    if (!(field.name in object)) {
      if (field.required) problems.push(`${path}.${field.name}: required by ${typeName} but missing`);
      continue;
    }
    const attempts = field.types.map((t) => checkTgFieldType(ref, t, object[field.name], `${path}.${field.name}`));
    if (!attempts.some((a) => a.length === 0)) problems.push(...(attempts[0] ?? []));
  }
  for (const name of Object.keys(object)) {
    if (!type.fields.some((f) => f.name === name)) problems.push(`${path}.${name}: not a field of ${typeName}`);
  }
  return problems;
}

/** Checks a method's `result` against any of its documented return types. */
export function checkTgResult(ref: TelegramReference, method: string, result: unknown): string[] {
  const def = ref.methods[method];
  if (!def) return [`${method}: not in the Bot API spec`];
  const attempts = def.returns.map((t) => checkTgFieldType(ref, t, result, `${method}()`));
  return attempts.some((a) => a.length === 0) ? [] : attempts.flat();
}

// === MAX (OpenAPI 3.0, checked with ajv)

export interface MaxReference {
  version: string;
  operations: Record<string, { method: string; path: string; request: Schema | null; response: Schema }>;
  schemas: Record<string, Schema>;
}

export function loadMaxReference(): MaxReference {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'max.json'), 'utf8')) as MaxReference;
}

/**
 * The extract as JSON Schema for ajv: `$ref`s to `#/definitions/…`, `nullable` as a null
 * alternative, OpenAPI's int64/double formats dropped, and each discriminated base (Update,
 * Attachment, Button…) split in two: `X__base` (its own fields, what subtypes extend through
 * allOf) and `X` (the base plus the subtype its discriminator names, which must be a known one).
 */
export function maxJsonSchemas(ref: MaxReference): Record<string, Schema> {
  const discriminated = new Set(
    Object.entries(ref.schemas)
      .filter(([, s]) => s.discriminator !== undefined)
      .map(([name]) => name),
  );
  const convert = (node: unknown, inAllOf = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => convert(n, inAllOf));
    if (node === null || typeof node !== 'object') return node;
    const src = node as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(src)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/components/schemas/', '');
        out.$ref = `#/definitions/${inAllOf && discriminated.has(name) ? `${name}__base` : name}`;
      } else if (key === 'allOf') out.allOf = (value as unknown[]).map((n) => convert(n, true));
      else if (key === 'nullable' || key === 'discriminator' || key === 'format' || key === 'readOnly' || key === 'example' || key.startsWith('x-')) continue;
      else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, convert(v)]));
      else out[key] = convert(value);
    }
    return src.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
  };
  const definitions: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(ref.schemas)) {
    const converted = convert(schema) as Schema;
    const discriminator = schema.discriminator as { propertyName: string; mapping: Record<string, string> } | undefined;
    if (!discriminator) {
      definitions[name] = converted;
      continue;
    }
    definitions[`${name}__base`] = converted;
    const prop = discriminator.propertyName;
    definitions[name] = {
      allOf: [
        { $ref: `#/definitions/${name}__base` },
        { properties: { [prop]: { enum: Object.keys(discriminator.mapping) } }, required: [prop] },
        ...Object.entries(discriminator.mapping).map(([value, target]) => ({
          if: { properties: { [prop]: { const: value } }, required: [prop] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { $ref: `#/definitions/${target.replace('#/components/schemas/', '')}` },
        })),
      ],
    };
  }
  return definitions;
}

/** A schema of the extract (an operation's request or response) as JSON Schema with the definitions. */
export function maxSchema(ref: MaxReference, schema: Schema, definitions: Record<string, Schema>): Schema {
  const { definitions: _ignored, ...root } = maxJsonSchemas({ ...ref, schemas: { __root: schema } } as MaxReference).__root as Schema & {
    definitions?: unknown;
  };
  return { ...root, definitions };
}
