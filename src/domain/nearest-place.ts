/**
 * The place a citizen's location names: the nearest gazetteer street (or settlement) that has
 * coordinates in config. A street is one point (where the centre would put its marker), so "near"
 * is a radius from it, not a distance to the street's line. Pure.
 */
import type { GeoPoint } from './attachment.js';
import type { PlaceMatch } from './detection.js';

/** A gazetteer name with a point (config `municipalities[].streets` / `.settlements` as `{name, lat, lon}`). */
export interface GazetteerPoint {
  municipalityId: string;
  kind: 'street' | 'settlement';
  name: string;
  lat: number;
  lon: number;
}

/** How far from a gazetteer point a location may be and still name it. */
export interface NearestLimits {
  streetMeters: number;
  settlementMeters: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Metres between two points along the Earth's surface (haversine on the mean radius; under 0.5 % off). */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function nearest(point: GeoPoint, points: readonly GazetteerPoint[], maxMeters: number): GazetteerPoint | null {
  let best: GazetteerPoint | null = null;
  let bestDistance = maxMeters;
  for (const candidate of points) {
    const d = distanceMeters(point, candidate);
    if (d <= bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/**
 * The nearest street within `streetMeters` (with the nearest settlement of its municipality within
 * `settlementMeters`), else the nearest settlement; null when no gazetteer point is near enough.
 */
export function nearestPlace(point: GeoPoint, points: readonly GazetteerPoint[], limits: NearestLimits): PlaceMatch | null {
  const street = nearest(
    point,
    points.filter((p) => p.kind === 'street'),
    limits.streetMeters,
  );
  const settlements = points.filter((p) => p.kind === 'settlement' && (street === null || p.municipalityId === street.municipalityId));
  const settlement = nearest(point, settlements, limits.settlementMeters);
  if (street) return { municipalityId: street.municipalityId, street: street.name, ...(settlement ? { settlement: settlement.name } : {}) };
  return settlement ? { municipalityId: settlement.municipalityId, settlement: settlement.name } : null;
}

/**
 * The incident's place from the text's place and the location's: a street named in the text wins
 * (the citizen said where); otherwise the location's street or settlement fills it, keeping the
 * house number the text gave.
 */
export function placeWithLocation(detected: PlaceMatch | null, located: PlaceMatch | null): PlaceMatch | null {
  if (!located || detected?.street) return detected;
  return detected?.house ? { ...located, house: detected.house } : located;
}
