/**
 * Message templates from config (`templates.<language>.<key>`): the one lookup and the one
 * renderer for the citizens' replies and the moderators' alerts. Templates are trusted config;
 * the caller escapes the values for the message's format before they go in.
 */

import { closestWord } from './closest-word.js';

/** `templates` of the config: language -> key -> text with {placeholders}. */
export type TemplateTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A template found in config, with the config path it came from (for error messages). */
export interface FoundTemplate {
  path: string;
  text: string;
}

/** The `{name}` placeholders a template uses, in order, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/**
 * The template `key` in the region's language, else in `ru` (the shipped one), so a deployment
 * can translate some texts and keep the rest. Undefined when neither has it.
 */
export function findTemplate(templates: TemplateTable, language: string, key: string): FoundTemplate | undefined {
  for (const lang of language === 'ru' ? ['ru'] : [language, 'ru']) {
    const text = templates[lang]?.[key];
    if (text) return { path: `templates.${lang}.${key}`, text };
  }
  return undefined;
}

/** Replace {name} placeholders; unknown placeholders are left visible so a template typo shows. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

// === Checked templates: the keys a part of the bot needs, with their placeholders

/** The placeholders one template key must and may carry. */
export interface TemplateSpec {
  /** Must appear in the template: without them the text loses what it is about. */
  required: readonly string[];
  /** Filled when used; a template may leave them out. */
  optional?: readonly string[];
}

/** Config as much as rendering needs: the templates and the language to pick them in. */
export interface TemplateConfig {
  region: { language: string };
  templates: TemplateTable;
}

/**
 * The template `key` filled with `values` (already escaped for the message's format). Throws
 * naming `kind` and the key when the config lacks it: the start-up check makes that a deployment
 * error caught early, so a throw here means a key missing from its spec table.
 */
export function renderTemplate(config: TemplateConfig, kind: string, key: string, values: Readonly<Record<string, string | number>> = {}): string {
  const found = findTemplate(config.templates, config.region.language, key);
  if (!found) throw new Error(`No ${kind} template "${key}" for language ${config.region.language} in config`);
  return fillTemplate(found.text, values);
}

/**
 * What is wrong with the templates of `specs` in a config, one line per problem in the config
 * check's format (`  - templates.ru.alert_spike = "…": …`); empty when all is well. A key is
 * missing, lacks a required placeholder, or uses one its code never fills. `what` names the
 * group in the message («a moderators' alert template»).
 */
export function templateProblems(
  config: TemplateConfig,
  specs: Readonly<Record<string, TemplateSpec>>,
  what: string,
  describe: (text: string) => string = JSON.stringify,
): string[] {
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const known = [...spec.required, ...(spec.optional ?? [])];
    const found = findTemplate(config.templates, config.region.language, key);
    if (!found) {
      const uses = known.length > 0 ? ` (placeholders: ${known.map((p) => `{${p}}`).join(', ')})` : '';
      problems.push(`  - templates.${config.region.language}.${key} = missing: ${what} is required${uses}`);
      continue;
    }
    const used = placeholdersOf(found.text);
    const absent = spec.required.filter((p) => !used.includes(p));
    const unknown = used.filter((p) => !known.includes(p));
    if (absent.length > 0) problems.push(`  - ${found.path} = ${describe(found.text)}: misses the placeholder ${absent.map((p) => `{${p}}`).join(', ')}`);
    if (unknown.length > 0)
      problems.push(
        `  - ${found.path} = ${describe(found.text)}: unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} (known: ${known.map((p) => `{${p}}`).join(', ') || 'none'})`,
      );
  }
  return problems;
}

/**
 * Keys in `templates.<language>` that no part of the bot reads: a misspelt override
 * (`alert_spkie`) would otherwise be ignored while the shipped text goes out. One line per key in
 * the config check's format, with the closest known key as a hint.
 */
export function unknownTemplateKeys(templates: TemplateTable, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [language, table] of Object.entries(templates)) {
    for (const key of Object.keys(table)) {
      if (known.has(key)) continue;
      const hint = closestWord(key, known);
      problems.push(`  - templates.${language}.${key}: no such template${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
  }
  return problems;
}
