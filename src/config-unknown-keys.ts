/**
 * Keys in a config file that the schema does not know. Zod drops them silently, so a misspelt
 * key (`vk.pollIntervalSecond`) would start the bot on the default; each is refused instead,
 * with the closest known key at the same level as a hint, as unknown template keys are.
 */
import type { z } from 'zod';
import { closestWord } from './domain/closest-word.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object or array schema under defaults, optionals and transforms; records and scalars have no keys to check. */
function unwrap(schema: z.ZodType): Def {
  let def = defOf(schema);
  for (let depth = 0; depth < 10; depth += 1) {
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) break;
    def = defOf(inner);
  }
  return def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per unknown key: `  - <path>: unknown key in <where> (did you mean <path>?)`. */
export function unknownConfigKeys(schema: z.ZodType, input: unknown, where: string): string[] {
  const problems: string[] = [];
  const walk = (node: z.ZodType, value: unknown, path: string[]): void => {
    const def = unwrap(node);
    if (def.type === 'array' && def.element && Array.isArray(value)) {
      value.forEach((item, i) => walk(def.element!, item, [...path, String(i)]));
      return;
    }
    if (def.type !== 'object' || !def.shape || !isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const known = def.shape[key];
      if (known) {
        walk(known, child, [...path, key]);
        continue;
      }
      const hint = closestWord(key, Object.keys(def.shape));
      const name = [...path, key].join('.');
      problems.push(`  - ${name}: unknown key in ${where}${hint ? ` (did you mean ${[...path, hint].join('.')}?)` : ''}`);
    }
  };
  walk(schema, input, []);
  return problems;
}
