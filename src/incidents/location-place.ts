import type { Config } from '../config.js';
import type { GeoPoint } from '../domain/attachment.js';
import type { PlaceMatch } from '../domain/detection.js';
import { nearestPlace } from '../domain/nearest-place.js';

/**
 * The gazetteer place a citizen's location names: the nearest street or settlement that config
 * gives coordinates (`municipalities[].streets` / `.settlements` as `{name, lat, lon}`), within
 * `location.streetRadiusMeters` / `settlementRadiusMeters`; null without such points or when none is near.
 */
export function placeOfLocation(config: Pick<Config, 'municipalities' | 'location'>, point: GeoPoint): PlaceMatch | null {
  const points = config.municipalities.flatMap((m) => m.points);
  if (points.length === 0) return null;
  return nearestPlace(point, points, { streetMeters: config.location.streetRadiusMeters, settlementMeters: config.location.settlementRadiusMeters });
}
