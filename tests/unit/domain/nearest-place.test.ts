import { describe, expect, it } from 'vitest';
import { distanceMeters, type GazetteerPoint, nearestPlace, placeWithLocation } from '../../../src/domain/nearest-place.js';

const POINTS: GazetteerPoint[] = [
  { municipalityId: 'z', kind: 'street', name: 'Ленина', lat: 56.9002, lon: 40.5011 },
  { municipalityId: 'z', kind: 'street', name: 'Мира', lat: 56.8967, lon: 40.4948 },
  { municipalityId: 'z', kind: 'settlement', name: 'Зареченск', lat: 56.9, lon: 40.5 },
  { municipalityId: 's', kind: 'settlement', name: 'Сосновка', lat: 56.751, lon: 40.302 },
];
const LIMITS = { streetMeters: 700, settlementMeters: 15_000 };

describe('the place a location names', () => {
  it('should measure distances on the globe', () => {
    // One degree of latitude is about 111.2 km.
    expect(distanceMeters({ lat: 56, lon: 40 }, { lat: 57, lon: 40 })).toBeCloseTo(111_195, -2);
    expect(distanceMeters({ lat: 56.9, lon: 40.5 }, { lat: 56.9, lon: 40.5 })).toBe(0);
  });

  it("should name the nearest street within the radius, with its municipality's nearest settlement", () => {
    expect(nearestPlace({ lat: 56.9008, lon: 40.5015 }, POINTS, LIMITS)).toEqual({ municipalityId: 'z', street: 'Ленина', settlement: 'Зареченск' });
    expect(nearestPlace({ lat: 56.897, lon: 40.4952 }, POINTS, LIMITS)).toMatchObject({ street: 'Мира' });
  });

  it('should fall back to a settlement when no street is near, and to nothing when nothing is', () => {
    expect(nearestPlace({ lat: 56.76, lon: 40.31 }, POINTS, LIMITS)).toEqual({ municipalityId: 's', settlement: 'Сосновка' });
    expect(nearestPlace({ lat: 55.75, lon: 37.62 }, POINTS, LIMITS)).toBeNull();
    expect(nearestPlace({ lat: 56.9, lon: 40.5 }, [], LIMITS)).toBeNull();
  });

  it('should let a street the text names win over the location, and fill a place without one', () => {
    const located = { municipalityId: 'z', street: 'Ленина', settlement: 'Зареченск' };
    expect(placeWithLocation({ street: 'Мира', house: '4' }, located)).toEqual({ street: 'Мира', house: '4' });
    expect(placeWithLocation({ settlement: 'Зареченск', house: '7' }, located)).toEqual({ ...located, house: '7' });
    expect(placeWithLocation(null, located)).toEqual(located);
    expect(placeWithLocation(null, null)).toBeNull();
  });
});
