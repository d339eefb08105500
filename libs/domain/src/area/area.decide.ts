import type { Actor } from '../actor';
import { accept, reject, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks, compact, sameValue, type Checks } from '../validation';
import type { AreaBoundary, AreaEvent, AreaUpdated, LatLng } from './area.events';
import type { AreaState } from './area.state';

/** The most LSOA codes an area may list (a large ward holds a few dozen; both 2011 and 2021 codes). */
export const MAX_AREA_LSOAS = 2000;
/** The most neighbours an area may name. */
export const MAX_AREA_NEIGHBOURS = 100;

/** An ONS (GSS) code: a letter and eight digits, `E01000001`. */
const GSS_CODE = /^[A-Za-z][0-9]{8}$/;

/**
 * `PUT /v1/areas/:code`: registers the area, or updates the fields that changed. A PUT that
 * omits `boundary`, `lsoaCodes`, `neighbours` or `externalCode` leaves a registered area's as it is.
 */
export type PutArea = {
  type: 'PutArea';
  actor: Actor;
  now: IsoDateTime;
  code: string;
  name: string;
  partnership: string;
  centroid: LatLng;
  boundary?: AreaBoundary;
  /** Matched without regard to case; stored upper-case. */
  lsoaCodes?: string[];
  /** Registered areas of the same partnership (else UNKNOWN_AREA). */
  neighbours?: string[];
  externalCode?: string;
  /** The state of each area `neighbours` names, read by the handler. */
  neighbourAreas?: Readonly<Record<string, AreaState>>;
};

export type AreaCommand = PutArea;

export function decideArea(command: AreaCommand, state: AreaState): Decision<AreaEvent> {
  switch (command.type) {
    case 'PutArea':
      return putArea(command, state);
    default:
      return unknownCommand(command as never);
  }
}

const checkCentroid = (v: Checks, centroid: LatLng | undefined): Checks =>
  typeof centroid !== 'object' || centroid === null
    ? v.fail('centroid', 'centroid must be {lat, lng}')
    : v.lat('centroid.lat', centroid.lat).lng('centroid.lng', centroid.lng);

const isPosition = (p: unknown): boolean =>
  Array.isArray(p) &&
  p.length >= 2 &&
  p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
  (p[0] as number) >= -180 &&
  (p[0] as number) <= 180 &&
  (p[1] as number) >= -90 &&
  (p[1] as number) <= 90;

/** A Polygon's coordinates: closed linear rings of at least four [lng, lat] positions. */
const isPolygonRings = (rings: unknown): boolean =>
  Array.isArray(rings) &&
  rings.length > 0 &&
  rings.every((ring: unknown) => Array.isArray(ring) && ring.length >= 4 && ring.every(isPosition) && sameValue(ring[0], ring[ring.length - 1]));

/** A GeoJSON Polygon, or a MultiPolygon of one or more such polygons. */
export const isAreaBoundary = (value: unknown): value is AreaBoundary => {
  if (typeof value !== 'object' || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return isPolygonRings(coordinates);
  if (type === 'MultiPolygon') return Array.isArray(coordinates) && coordinates.length > 0 && coordinates.every(isPolygonRings);
  return false;
};

const copyRings = (rings: number[][][]): number[][][] => rings.map((ring) => ring.map((position) => [...position]));

const copyBoundary = (boundary: AreaBoundary): AreaBoundary =>
  boundary.type === 'Polygon'
    ? { type: 'Polygon', coordinates: copyRings(boundary.coordinates) }
    : { type: 'MultiPolygon', coordinates: boundary.coordinates.map(copyRings) };

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function checkLists(v: Checks, command: PutArea): void {
  const { lsoaCodes, neighbours, externalCode } = command;
  if (lsoaCodes !== undefined) {
    if (!isStringList(lsoaCodes) || lsoaCodes.length > MAX_AREA_LSOAS) v.fail('lsoaCodes', `lsoaCodes must be a list of at most ${MAX_AREA_LSOAS} LSOA codes`);
    else if (!lsoaCodes.every((code) => GSS_CODE.test(code))) v.fail('lsoaCodes', 'lsoaCodes must be ONS codes: a letter and eight digits (E01000001)');
  }
  if (neighbours !== undefined) {
    if (!isStringList(neighbours) || neighbours.length > MAX_AREA_NEIGHBOURS) v.fail('neighbours', `neighbours must be a list of at most ${MAX_AREA_NEIGHBOURS} area codes`);
    else if (neighbours.includes(command.code)) v.fail('neighbours', 'an area is not its own neighbour');
  }
  if (externalCode !== undefined) {
    if (typeof externalCode !== 'string' || externalCode.trim() === '' || externalCode.length > 100) v.fail('externalCode', 'externalCode must be 1 to 100 characters');
  }
}

/** Sorted and without repeats: a list whose order means nothing compares equal however it is given. */
const distinct = (values: readonly string[]): string[] => [...new Set(values)].sort();

function putArea(command: PutArea, state: AreaState): Decision<AreaEvent> {
  const { actor } = command;
  const access =
    (state.status === 'registered' ? requireVisible(actor, state, 'area') : undefined) ??
    requirePartnership(actor, command.partnership) ??
    requireRole(command, 'register areas');
  if (access) return access;

  const v = checks().code('code', command.code).text('name', command.name).text('partnership', command.partnership);
  checkCentroid(v, command.centroid);
  if (command.boundary !== undefined && !isAreaBoundary(command.boundary)) {
    v.fail('boundary', 'boundary must be a GeoJSON Polygon or MultiPolygon of closed rings of [lng, lat] positions');
  }
  checkLists(v, command);
  const invalid = v.refusal();
  if (invalid) return invalid;

  const neighbours = command.neighbours === undefined ? undefined : distinct(command.neighbours);
  const unknown = (neighbours ?? []).filter((code) => {
    const area = command.neighbourAreas?.[code];
    return area === undefined || area.status !== 'registered' || area.code !== code || area.partnership !== command.partnership;
  });
  if (unknown.length > 0) {
    return reject('UNKNOWN_AREA', `area${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not registered in partnership ${command.partnership}`);
  }

  const centroid: LatLng = { lat: command.centroid.lat, lng: command.centroid.lng };
  const boundary = command.boundary === undefined ? undefined : copyBoundary(command.boundary);
  const lsoaCodes = command.lsoaCodes === undefined ? undefined : distinct(command.lsoaCodes.map((code) => code.toUpperCase()));
  const { externalCode } = command;

  if (state.status === 'none') {
    return accept({
      type: 'AreaRegistered',
      data: compact({ code: command.code, name: command.name, partnership: command.partnership, centroid, boundary, lsoaCodes, neighbours, externalCode }),
    });
  }
  if (state.code !== command.code) return reject('VALIDATION_FAILED', `area ${state.code} cannot be stored as ${command.code}`);
  if (state.partnership !== command.partnership) {
    return reject('VALIDATION_FAILED', `area ${state.code} belongs to partnership ${state.partnership}; an area cannot move to another partnership`, [
      { field: 'partnership', message: `partnership cannot change from ${state.partnership}` },
    ]);
  }
  const changed: AreaUpdated['data'] = compact({
    name: command.name !== state.name ? command.name : undefined,
    centroid: !sameValue(centroid, state.centroid) ? centroid : undefined,
    boundary: boundary !== undefined && !sameValue(boundary, state.boundary) ? boundary : undefined,
    lsoaCodes: lsoaCodes !== undefined && !sameValue(lsoaCodes, state.lsoaCodes) ? lsoaCodes : undefined,
    neighbours: neighbours !== undefined && !sameValue(neighbours, state.neighbours) ? neighbours : undefined,
    externalCode: externalCode !== undefined && externalCode !== state.externalCode ? externalCode : undefined,
  });
  return Object.keys(changed).length === 0 ? accept() : accept({ type: 'AreaUpdated', data: changed });
}
