import type { AreaBoundary } from '@tasking/domain';
import { AreaResolver, resolveArea, toGrid, toWgs84, type ResolvableArea } from './location';

const square = (west: number, south: number, east: number, north: number): number[][] => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];

describe('toWgs84', () => {
  it("converts Ordnance Survey's worked example (Caister water tower) to within 1e-4 degrees", () => {
    // OS, "A guide to coordinate systems in Great Britain", the worked transformation: grid
    // E 651409.903, N 313177.270 is ETRS89 52°39'28.8282"N 1°42'57.8663"E (ETRS89 and WGS84 agree
    // to well under a metre here; the Helmert shift is good to a few metres, 1e-4 degrees is ~11 m).
    const { lat, lng } = toWgs84({ easting: 651409.903, northing: 313177.27 });
    expect(Math.abs(lat - (52 + 39 / 60 + 28.8282 / 3600))).toBeLessThan(1e-4);
    expect(Math.abs(lng - (1 + 42 / 60 + 57.8663 / 3600))).toBeLessThan(1e-4);
  });

  it('converts west of the central meridian with a negative longitude (Land\'s End area)', () => {
    const { lat, lng } = toWgs84({ easting: 134000, northing: 25000 });
    expect(lat).toBeGreaterThan(49.9);
    expect(lat).toBeLessThan(50.2);
    expect(lng).toBeLessThan(-5.5);
    expect(lng).toBeGreaterThan(-5.9);
  });
});

describe('toGrid', () => {
  it("gives Ordnance Survey's worked example back to the metre", () => {
    const lat = 52 + 39 / 60 + 28.8282 / 3600;
    const lng = 1 + 42 / 60 + 57.8663 / 3600;
    const { easting, northing } = toGrid({ lat, lng });
    // The Helmert shift is good to a few metres either way.
    expect(Math.abs(easting - 651410)).toBeLessThanOrEqual(5);
    expect(Math.abs(northing - 313177)).toBeLessThanOrEqual(5);
  });

  it('is the inverse of toWgs84 to the metre', () => {
    const place = toWgs84({ easting: 457300, northing: 340100 });
    expect(toGrid(place)).toEqual({ easting: 457300, northing: 340100 });
  });
});

describe('resolveArea', () => {
  const north: ResolvableArea = {
    code: 'north',
    lsoaCodes: ['E01000001', 'E01033333'],
    boundary: { type: 'Polygon', coordinates: [square(-1, 1, 1, 2)] },
  };
  const islands: AreaBoundary = {
    type: 'MultiPolygon',
    coordinates: [[square(-1, -1, 0, 0)], [square(2, -1, 3, 0), square(2.4, -0.6, 2.6, -0.4)]],
  };
  const south: ResolvableArea = { code: 'south', lsoaCodes: ['E01000002'], boundary: islands };
  const listed: ResolvableArea = { code: 'listed', lsoaCodes: ['W01000009'] };
  const areas = [north, south, listed];

  it('answers the area listing the LSOA, matched without regard to case, before any boundary', () => {
    expect(resolveArea({ lsoaCode: 'e01000002', lat: 1.5, lng: 0 }, areas)).toBe('south');
    expect(resolveArea({ lsoaCode: ' W01000009 ' }, areas)).toBe('listed');
  });

  it('falls back to the boundary holding the point when no area lists the LSOA', () => {
    expect(resolveArea({ lsoaCode: 'E09999999', lat: 1.5, lng: 0.5 }, areas)).toBe('north');
  });

  it('finds points in any polygon of a MultiPolygon, and not in its holes', () => {
    expect(resolveArea({ lat: -0.5, lng: -0.5 }, areas)).toBe('south');
    expect(resolveArea({ lat: -0.2, lng: 2.2 }, areas)).toBe('south');
    expect(resolveArea({ lat: -0.5, lng: 2.5 }, areas)).toBeUndefined();
  });

  it('answers undefined for a place no area holds, or no place at all', () => {
    expect(resolveArea({ lat: 10, lng: 10 }, areas)).toBeUndefined();
    expect(resolveArea({ lat: 0.5, lng: 1.5 }, areas)).toBeUndefined(); // inside the boxes' hull, outside every polygon
    expect(resolveArea({ lsoaCode: 'E09999999' }, areas)).toBeUndefined();
    expect(resolveArea({}, areas)).toBeUndefined();
    expect(resolveArea({ lat: Number.NaN, lng: 0 }, areas)).toBeUndefined();
  });

  it('prepares the areas once per array: a changed array is seen, the same array reuses its map', () => {
    const list = [listed];
    expect(resolveArea({ lsoaCode: 'W01000009' }, list)).toBe('listed');
    const moved = [{ ...listed, lsoaCodes: ['W01000010'] }];
    expect(resolveArea({ lsoaCode: 'W01000009' }, moved)).toBeUndefined();
    expect(resolveArea({ lsoaCode: 'W01000010' }, moved)).toBe('listed');
  });

  it('resolves a million points across 60 areas in well under the time an import allows', () => {
    const many: ResolvableArea[] = Array.from({ length: 60 }, (_, i) => {
      const west = (i % 10) * 0.1;
      const south = Math.floor(i / 10) * 0.1;
      const ring: number[][] = [];
      for (let k = 0; k < 200; k += 1) {
        const angle = (2 * Math.PI * k) / 200;
        ring.push([west + 0.05 + 0.05 * Math.cos(angle), south + 0.05 + 0.05 * Math.sin(angle)]);
      }
      ring.push(ring[0]);
      return { code: `a${i}`, lsoaCodes: [`E0100${String(i).padStart(4, '0')}`], boundary: { type: 'Polygon', coordinates: [ring] } };
    });
    const resolver = new AreaResolver(many);
    let found = 0;
    const started = Date.now();
    for (let n = 0; n < 1_000_000; n += 1) {
      const place = n % 2 === 0 ? { lsoaCode: `E0100${String(n % 60).padStart(4, '0')}` } : { lat: ((n * 7919) % 600) / 1000, lng: ((n * 104729) % 1000) / 1000 };
      if (resolver.resolve(place) !== undefined) found += 1;
    }
    expect(found).toBeGreaterThan(500_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
