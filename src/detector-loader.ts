import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBLEMS_FILE } from './config.js';
import { ComplaintDetector } from './detect/complaint-detector.js';
import { type DetectorConfig, DetectorConfigSchema } from './detect/detector-config.js';
import { emptyModel, type ModelFile, ModelFileSchema } from './detect/linear-model.js';
import type { GazetteerEntry } from './detect/place-finder.js';
import { parseProblems } from './detect/problem-schema.js';
import { QuestionDetector } from './detect/question-detector.js';
import type { Detector } from './domain/detection.js';
import { NO_PROBLEMS, type ProblemCatalog } from './domain/problem.js';

/** File names under the config directory. */
export const DETECTOR_CONFIG_FILE = 'detector.json';
export const MODEL_FILE = 'complaint-model.json';

/** A gazetteer entry as config/default.json writes it: a name, or a name with coordinates. */
type GazetteerName = string | { name: string };

/**
 * The municipalities' places (config `municipalities`) as the detector takes them: names only.
 * Takes the plain shape too, so eval can pass config/default.json as read, without the environment.
 */
export function gazetteerOf(config: {
  municipalities: readonly { id: string; settlements: readonly GazetteerName[]; streets: readonly GazetteerName[] }[];
}): GazetteerEntry[] {
  const names = (list: readonly GazetteerName[]) => list.map((n) => (typeof n === 'string' ? n : n.name));
  return config.municipalities.map((m) => ({ municipalityId: m.id, settlements: names(m.settlements), streets: names(m.streets) }));
}

/**
 * The IO edge of detection: reads `<configDir>/detector.json` (rules, thresholds, topics)
 * and `<configDir>/complaint-model.json` (the trained model; without it the rules decide
 * alone) and builds the pure detector, with question recognition after it. Called once at start-up by the app and by the
 * benchmark; throws a readable error on a broken file, since a bot with a broken
 * detector must not start.
 */
export function loadDetector(configDir: string, gazetteer: GazetteerEntry[], problems: ProblemCatalog): Detector {
  return new QuestionDetector(loadComplaintDetector(configDir, gazetteer, problems));
}

/**
 * Same as {@link loadDetector}, typed as the concrete detector (eval needs its `analyse`). The
 * model defaults to `<configDir>/complaint-model.json` (see {@link readModelIfAny}); eval passes
 * the one it has read already, since it needs the model's trained ids as well.
 */
export function loadComplaintDetector(
  configDir: string,
  gazetteer: GazetteerEntry[],
  problems: ProblemCatalog,
  model: ModelFile = readModelIfAny(join(configDir, MODEL_FILE)),
): ComplaintDetector {
  const config = readDetectorConfig(configDir);
  try {
    return new ComplaintDetector({ config, model, gazetteer, problems });
  } catch (cause) {
    // The model's weight rows are decoded here: a truncated or edited file is caught now, not at the first message.
    throw new Error(`Cannot build the detector from ${join(configDir, MODEL_FILE)}: ${(cause as Error).message}`, { cause });
  }
}

/** `<configDir>/problems.json` as a catalog; none when the folder has no such file (tools given a detector.json alone). */
export function readProblemsIfAny(configDir: string): ProblemCatalog {
  const path = join(configDir, PROBLEMS_FILE);
  return existsSync(path) ? parseProblems(readJson(path), path) : NO_PROBLEMS;
}

/** Reads and validates `<configDir>/detector.json`. */
export function readDetectorConfig(configDir: string): DetectorConfig {
  const configPath = join(configDir, DETECTOR_CONFIG_FILE);
  const parsed = DetectorConfigSchema.safeParse(readJson(configPath));
  if (!parsed.success) throw new Error(`Invalid ${configPath}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The model file at `path`, validated; the empty model (rules decide alone) when there is no file. Throws on a broken one. */
export function readModelIfAny(path: string): ModelFile {
  return existsSync(path) ? readModel(path) : emptyModel();
}

/** Reads and validates a model file. */
export function readModel(path: string): ModelFile {
  const parsed = ModelFileSchema.safeParse(readJson(path));
  if (!parsed.success)
    throw new Error(
      `Invalid model ${path}: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path}`, { cause: error });
  }
}
