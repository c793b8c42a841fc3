import { z } from 'zod';
import { TOPIC_IDS } from '../domain/detection.js';
import { ProblemCatalog, type ProblemId } from '../domain/problem.js';

/**
 * The schema of `config/problems.json`: the problems under the twelve topics. A region edits it
 * (or points `OTKLIK_CONFIG_DIR` at its own copy); ids must stay stable once incidents carry them.
 */
const ProblemSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case id: letters a-z, digits or _'),
    topic: z.enum(TOPIC_IDS),
    label: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    centreTopics: z.array(z.string().min(1)).default([]),
    words: z.array(z.string().min(1)).default([]),
    urgency: z.enum(['emergency', 'normal']).optional(),
    departmentKind: z.enum(['department', 'uk', 'tszh', 'resource']).optional(),
  })
  .strict();

export const ProblemsFileSchema = z.object({ problems: z.array(ProblemSchema) }).strict();

/**
 * Validates the parsed file and builds the catalog.
 * @throws Error naming `where`, the field and what is wrong; the bot must not start with a broken taxonomy.
 */
export function parseProblems(raw: unknown, where: string): ProblemCatalog {
  const parsed = ProblemsFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `Invalid ${where}: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  try {
    return new ProblemCatalog(parsed.data.problems.map((p) => ({ ...p, id: p.id as ProblemId })));
  } catch (error) {
    throw new Error(`Invalid ${where}: ${(error as Error).message}`, { cause: error });
  }
}
