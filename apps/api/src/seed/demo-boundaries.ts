/**
 * Boundaries for the demo areas: each area is the part of the town nearer its centre than any
 * other area's (a Voronoi cell), within the town's bounding box. Neighbouring areas share edges,
 * as real wards and neighbourhoods do, without a boundary file the demo would have to ship.
 */
import type { GeoJsonPolygon } from '@tasking/domain';

type Point = { lat: number; lng: number };
type XY = [number, number];

/** The polygon of every centre, in the order given; `margin` (degrees of latitude) pads the box around them. */
export function demoBoundaries(centres: readonly Point[], margin = 0.008): GeoJsonPolygon[] {
  const scale = Math.cos((centres.reduce((sum, c) => sum + c.lat, 0) / centres.length) * (Math.PI / 180));
  const toXY = (p: Point): XY => [p.lng * scale, p.lat];
  const points = centres.map(toXY);
  const [minX, maxX] = [Math.min(...points.map((p) => p[0])) - margin, Math.max(...points.map((p) => p[0])) + margin];
  const [minY, maxY] = [Math.min(...points.map((p) => p[1])) - margin, Math.max(...points.map((p) => p[1])) + margin];
  const box: XY[] = [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
  ];
  return points.map((own, index) => {
    let cell = box;
    points.forEach((other, j) => {
      if (j !== index) cell = nearerThan(cell, own, other);
    });
    const ring = cell.map(([x, y]) => [round(x / scale), round(y)]);
    return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
  });
}

/** Clips a convex polygon to the half-plane of points nearer `own` than `other` (Sutherland–Hodgman). */
function nearerThan(polygon: XY[], own: XY, other: XY): XY[] {
  const normal: XY = [other[0] - own[0], other[1] - own[1]];
  const middle: XY = [(own[0] + other[0]) / 2, (own[1] + other[1]) / 2];
  const side = (p: XY) => (p[0] - middle[0]) * normal[0] + (p[1] - middle[1]) * normal[1];
  const kept: XY[] = [];
  polygon.forEach((current, i) => {
    const next = polygon[(i + 1) % polygon.length]!;
    const [a, b] = [side(current), side(next)];
    if (a <= 0) kept.push(current);
    if ((a < 0 && b > 0) || (a > 0 && b < 0)) {
      const t = a / (a - b);
      kept.push([current[0] + t * (next[0] - current[0]), current[1] + t * (next[1] - current[1])]);
    }
  });
  return kept;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * For each polygon, the indexes of the others it shares an edge with (two corners in common, to
 * a metre): Voronoi cells meeting only at a corner are not neighbours.
 */
export function sharedEdges(polygons: readonly GeoJsonPolygon[]): number[][] {
  const corners = polygons.map((polygon) => polygon.coordinates[0]!.slice(0, -1));
  const same = (a: number[], b: number[]) => Math.abs(a[0]! - b[0]!) < 1e-5 && Math.abs(a[1]! - b[1]!) < 1e-5;
  return corners.map((own, index) =>
    corners.flatMap((other, j) => (j !== index && own.filter((corner) => other.some((c) => same(corner, c))).length >= 2 ? [j] : [])),
  );
}
