/**
 * Message templates from config (`templates.<language>.<key>`): the one lookup and the one
 * renderer for the citizens' replies and the moderators' alerts. Templates are trusted config;
 * the caller escapes the values for the message's format before they go in.
 */

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
