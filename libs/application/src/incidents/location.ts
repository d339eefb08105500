import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import proj4 from 'proj4';
import type { AreaBoundary, LatLng } from '@tasking/domain';

/**
 * Where an incident happened (evidence.md, "Area resolution", "Coordinates"): British National
 * Grid positions converted to WGS84, and the area of the partnership that holds a place.
 */

/**
 * EPSG:27700 (OSGB 1936 / British National Grid): Airy 1830 on a transverse Mercator, with the
 * seven-parameter Helmert shift to WGS84 (a few metres' accuracy, enough to find an area).
 */
const BRITISH_NATIONAL_GRID =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';
const fromGrid = proj4(BRITISH_NATIONAL_GRID, 'WGS84');

export type GridReference = { easting: number; northing: number };

/** A British National Grid position (metres) as WGS84 latitude and longitude (degrees). */
export function toWgs84({ easting, northing }: GridReference): LatLng {
  const [lng, lat] = fromGrid.forward([easting, northing]);
  return { lat, lng };
}

/** WGS84 latitude and longitude as a British National Grid position, to the metre (the demo's council extract). */
export function toGrid({ lat, lng }: LatLng): GridReference {
  const [easting, northing] = fromGrid.inverse([lng, lat]);
  return { easting: Math.round(easting!), northing: Math.round(northing!) };
}

/** An area as the resolver needs it: its code, the LSOAs it lists, its boundary if it has one. */
export type ResolvableArea = { code: string; lsoaCodes: readonly string[]; boundary?: AreaBoundary };

/** What is known of where an incident happened: an LSOA code, a point, or both. */
export type PlaceToResolve = { lsoaCode?: string; lat?: number; lng?: number };

type Box = { minLng: number; minLat: number; maxLng: number; maxLat: number };
type Shape = { code: string; box: Box; boundary: AreaBoundary };

/** The areas prepared once for many look-ups: LSOA codes in a map, each boundary with its bounding box. */
export class AreaResolver {
  private readonly byLsoa = new Map<string, string>();
  private readonly shapes: Shape[] = [];

  constructor(areas: readonly ResolvableArea[]) {
    for (const area of areas) {
      for (const lsoa of area.lsoaCodes) {
        const key = lsoa.toUpperCase();
        if (!this.byLsoa.has(key)) this.byLsoa.set(key, area.code);
      }
      if (area.boundary) this.shapes.push({ code: area.code, box: boxOf(area.boundary), boundary: area.boundary });
    }
  }

  /** The area listing the LSOA; else the area whose boundary holds the point; else undefined. */
  resolve(place: PlaceToResolve): string | undefined {
    if (place.lsoaCode) {
      const code = this.byLsoa.get(place.lsoaCode.trim().toUpperCase());
      if (code !== undefined) return code;
    }
    const { lat, lng } = place;
    if (lat === undefined || lng === undefined || !Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
    for (const shape of this.shapes) {
      const { box } = shape;
      if (lng < box.minLng || lng > box.maxLng || lat < box.minLat || lat > box.maxLat) continue;
      if (booleanPointInPolygon([lng, lat], shape.boundary)) return shape.code;
    }
    return undefined;
  }
}

const resolvers = new WeakMap<readonly ResolvableArea[], AreaResolver>();

/**
 * The code of the area that holds a place, or undefined. The areas are prepared on first use
 * and kept for as long as the same array is passed, so a loop over a million rows with one
 * array builds its map and boxes once.
 */
export function resolveArea(place: PlaceToResolve, areas: readonly ResolvableArea[]): string | undefined {
  let resolver = resolvers.get(areas);
  if (!resolver) {
    resolver = new AreaResolver(areas);
    resolvers.set(areas, resolver);
  }
  return resolver.resolve(place);
}

function boxOf(boundary: AreaBoundary): Box {
  const box: Box = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  for (const polygon of polygons) {
    // The outer ring bounds the polygon; holes lie inside it.
    for (const [lng, lat] of polygon[0] ?? []) {
      if (lng < box.minLng) box.minLng = lng;
      if (lng > box.maxLng) box.maxLng = lng;
      if (lat < box.minLat) box.minLat = lat;
      if (lat > box.maxLat) box.maxLat = lat;
    }
  }
  return box;
}
