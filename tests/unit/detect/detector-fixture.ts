import { join } from 'node:path';
import type { ComplaintDetector } from '../../../src/detect/complaint-detector.js';
import { gazetteerOf, loadComplaintDetector } from '../../../src/detector-loader.js';
import { REPO_ROOT, testConfig } from '../../helpers/index.js';

/** The shipped detector (config/detector.json + config/complaint-model.json) with the demo gazetteer. */
export function shippedDetector(): ComplaintDetector {
  const config = testConfig();
  return loadComplaintDetector(join(REPO_ROOT, 'config'), gazetteerOf(config), config.problems);
}
