import { isAreaBoundary } from '@tasking/domain';
import { demoBoundaries, sharedEdges } from './demo-boundaries';

const centres = [
  { lat: 52.9621, lng: -1.1702 },
  { lat: 52.9552, lng: -1.1498 },
  { lat: 52.9469, lng: -1.1462 },
  { lat: 52.9431, lng: -1.1589 },
];

/** Ray casting: is the point inside the ring? */
function inside(ring: number[][], lng: number, lat: number): boolean {
  let within = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > lat !== yj! > lat && lng < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) within = !within;
  }
  return within;
}

describe('demo area boundaries', () => {
  const polygons = demoBoundaries(centres);

  it('gives every centre a closed polygon the API accepts', () => {
    expect(polygons).toHaveLength(centres.length);
    for (const polygon of polygons) {
      expect(isAreaBoundary(polygon)).toBe(true);
      const ring = polygon.coordinates[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(ring.length).toBeGreaterThanOrEqual(4);
    }
  });

  it('puts each centre inside its own area and no other', () => {
    centres.forEach((centre, index) => {
      const holders = polygons.map((p, i) => (inside(p.coordinates[0]!, centre.lng, centre.lat) ? i : -1)).filter((i) => i >= 0);
      expect(holders).toEqual([index]);
    });
  });

  it('assigns a point between two centres to the nearer one', () => {
    const [a, b] = [centres[0]!, centres[1]!];
    const nearA = { lat: a.lat + (b.lat - a.lat) * 0.4, lng: a.lng + (b.lng - a.lng) * 0.4 };
    const nearB = { lat: a.lat + (b.lat - a.lat) * 0.6, lng: a.lng + (b.lng - a.lng) * 0.6 };
    expect(inside(polygons[0]!.coordinates[0]!, nearA.lng, nearA.lat)).toBe(true);
    expect(inside(polygons[1]!.coordinates[0]!, nearB.lng, nearB.lat)).toBe(true);
    expect(inside(polygons[0]!.coordinates[0]!, nearB.lng, nearB.lat)).toBe(false);
  });

  it('makes neighbours of cells sharing an edge, not of cells apart or meeting at a corner', () => {
    const row = demoBoundaries([
      { lat: 52.95, lng: -1.2 },
      { lat: 52.95, lng: -1.18 },
      { lat: 52.95, lng: -1.16 },
    ]);
    expect(sharedEdges(row)).toEqual([[1], [0, 2], [1]]);
    // A square's four cells: each meets the opposite one only at the middle point.
    const square = demoBoundaries([
      { lat: 52.94, lng: -1.2 },
      { lat: 52.94, lng: -1.18 },
      { lat: 52.96, lng: -1.2 },
      { lat: 52.96, lng: -1.18 },
    ]);
    expect(sharedEdges(square)).toEqual([[1, 2], [0, 3], [0, 3], [1, 2]]);
  });

  it('finds the demo town\'s neighbours both ways round', () => {
    const neighbours = sharedEdges(polygons);
    neighbours.forEach((list, index) => {
      expect(list.length).toBeGreaterThan(0);
      for (const j of list) expect(neighbours[j]).toContain(index);
    });
  });
});
