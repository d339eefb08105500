import type { Event } from '../event';

export type LatLng = { lat: number; lng: number };

/** A GeoJSON Polygon geometry: rings of [lng, lat] positions, each ring closed. */
export type GeoJsonPolygon = { type: 'Polygon'; coordinates: number[][][] };

/** A GeoJSON MultiPolygon geometry: polygons, each as a Polygon's rings. */
export type GeoJsonMultiPolygon = { type: 'MultiPolygon'; coordinates: number[][][][] };

/** An area's boundary: one polygon, or several (a ward split by a river, an island). */
export type AreaBoundary = GeoJsonPolygon | GeoJsonMultiPolygon;

export type AreaRegistered = Event<
  'AreaRegistered',
  {
    code: string;
    name: string;
    partnership: string;
    centroid: LatLng;
    boundary?: AreaBoundary;
    /** LSOA codes (ONS), upper-case: both the 2011 and 2021 codes where they differ. */
    lsoaCodes?: string[];
    /** Codes of the partnership's areas sharing a boundary with this one. */
    neighbours?: string[];
    /** The area's code elsewhere (e.g. the ONS ward code `E05000201`), kept exactly as given. */
    externalCode?: string;
  }
>;

/** Only the fields that changed (a repeated PUT). */
export type AreaUpdated = Event<
  'AreaUpdated',
  {
    name?: string;
    centroid?: LatLng;
    boundary?: AreaBoundary;
    lsoaCodes?: string[];
    neighbours?: string[];
    externalCode?: string;
  }
>;

export type AreaEvent = AreaRegistered | AreaUpdated;

const areaEventTypes: Record<AreaEvent['type'], true> = { AreaRegistered: true, AreaUpdated: true };
export const AREA_EVENT_TYPES = Object.keys(areaEventTypes) as readonly AreaEvent['type'][];
