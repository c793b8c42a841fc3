/**
 * The console's Russian UI texts: `config/console.json`, `{ "<language>": { key: text } }`, a key
 * missing in the region's language taken from `ru`. Texts are plain: the pages escape them with
 * the values filled in (hono/html), so neither a template nor a citizen's word can add markup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillTemplate, findTemplate, type TemplateTable } from '../domain/template.js';
import { ConfigError } from '../errors.js';

export type ConsoleText = (key: string, values?: Readonly<Record<string, string | number>>) => string;

/** Read and check the texts; a missing file or a language without the shipped keys stops the start. */
export function loadConsoleTexts(configDir: string, language: string): ConsoleText {
  const path = join(configDir, 'console.json');
  let table: TemplateTable;
  try {
    table = JSON.parse(readFileSync(path, 'utf8')) as TemplateTable;
  } catch (cause) {
    throw new ConfigError(`Cannot read the console texts ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!table.ru) throw new ConfigError(`${path} has no "ru" texts`);
  return (key, values = {}) => {
    const found = findTemplate(table, language, key);
    if (!found) throw new Error(`No console text "${key}" in ${path}`);
    return fillTemplate(found.text, values);
  };
}
