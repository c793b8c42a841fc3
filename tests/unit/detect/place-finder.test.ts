import { describe, expect, it } from 'vitest';
import { PlaceFinder } from '../../../src/detect/place-finder.js';
import { RussianStemmer } from '../../../src/detect/russian-stemmer.js';

const stemmer = new RussianStemmer();
const finder = new PlaceFinder(
  [
    { municipalityId: 'north', settlements: ['Северск', 'Красный Бор'], streets: ['Ленина', 'Молодёжная', 'Мира', 'Новая'] },
    { municipalityId: 'south', settlements: ['Южный', 'Ключи'], streets: ['Ленина', 'Садовая'] },
  ],
  (w) => stemmer.stem(w),
);

describe('PlaceFinder', () => {
  it('should match inflected settlements and streets with house numbers', () => {
    expect(finder.find('В Северске на ул. Ленина, д. 5 нет воды')).toEqual({ municipalityId: 'north', settlement: 'Северск', street: 'Ленина', house: '5' });
    expect(finder.find('во дворе на Молодёжной 7а')).toEqual({ municipalityId: 'north', street: 'Молодёжная', house: '7а' });
    expect(finder.find('из Красного Бора не ходит автобус')).toEqual({ municipalityId: 'north', settlement: 'Красный Бор' });
    expect(finder.find('в ключах нет света')).toEqual({ municipalityId: 'south', settlement: 'Ключи' });
  });

  it('should leave the municipality open for a street two municipalities share, unless the source says which', () => {
    expect(finder.find('на Ленина 3 яма')).toEqual({ street: 'Ленина', house: '3' });
    expect(finder.find('на Ленина 3 яма', { municipalityId: 'south' })).toEqual({ municipalityId: 'south', street: 'Ленина', house: '3' });
    expect(finder.find('В Южном на Ленина 3 яма')).toMatchObject({ municipalityId: 'south', street: 'Ленина' });
  });

  it('should not take ordinary words for names', () => {
    expect(finder.find('Мира и покоя всем, новая жизнь')).toBeNull();
    expect(finder.find('потерял ключи')).toBeNull();
    expect(finder.find('Новая площадка сломана')).toBeNull();
  });

  it('should find nothing with an empty gazetteer', () => {
    expect(new PlaceFinder([], (w) => w).find('В Северске на ул. Ленина 5')).toBeNull();
  });
});
