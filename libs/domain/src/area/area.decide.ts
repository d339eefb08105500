import type { Actor } from '../actor';
import { accept, reject, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks, compact, sameValue, type Checks } from '../validation';
import type { AreaEvent, AreaUpdated, GeoJsonPolygon, LatLng } from './area.events';
import type { AreaState } from './area.state';

/**
 * `PUT /v1/areas/:code`: registers the area, or updates the fields that changed. A PUT that
 * omits `boundary` leaves a registered boundary as it is.
 */
export type PutArea = {
  type: 'PutArea';
  actor: Actor;
  now: IsoDateTime;
  code: string;
  name: string;
  partnership: string;
  centroid: LatLng;
  boundary?: GeoJsonPolygon;
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

/** A GeoJSON Polygon: closed linear rings of at least four [lng, lat] positions. */
export const isGeoJsonPolygon = (value: unknown): value is GeoJsonPolygon => {
  if (typeof value !== 'object' || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' || !Array.isArray(coordinates) || coordinates.length === 0) return false;
  return coordinates.every(
    (ring: unknown) =>
      Array.isArray(ring) && ring.length >= 4 && ring.every(isPosition) && sameValue(ring[0], ring[ring.length - 1]),
  );
};

const copyBoundary = (boundary: GeoJsonPolygon): GeoJsonPolygon => ({
  type: 'Polygon',
  coordinates: boundary.coordinates.map((ring) => ring.map((position) => [...position])),
});

function putArea(command: PutArea, state: AreaState): Decision<AreaEvent> {
  const { actor } = command;
  const access =
    (state.status === 'registered' ? requireVisible(actor, state, 'area') : undefined) ??
    requirePartnership(actor, command.partnership) ??
    requireRole(command, 'register areas');
  if (access) return access;

  const v = checks().code('code', command.code).text('name', command.name).text('partnership', command.partnership);
  checkCentroid(v, command.centroid);
  if (command.boundary !== undefined && !isGeoJsonPolygon(command.boundary)) {
    v.fail('boundary', 'boundary must be a GeoJSON Polygon of closed rings of [lng, lat] positions');
  }
  const invalid = v.refusal();
  if (invalid) return invalid;

  const centroid: LatLng = { lat: command.centroid.lat, lng: command.centroid.lng };
  const boundary = command.boundary === undefined ? undefined : copyBoundary(command.boundary);

  if (state.status === 'none') {
    return accept({
      type: 'AreaRegistered',
      data: compact({ code: command.code, name: command.name, partnership: command.partnership, centroid, boundary }),
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
  });
  return Object.keys(changed).length === 0 ? accept() : accept({ type: 'AreaUpdated', data: changed });
}
