import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, areaRegistered, inspector } from '../testing/fixtures';
import type { GeoJsonPolygon } from './area.events';
import { decideArea, type PutArea } from './area.decide';
import { evolveArea, initialAreaState } from './area.state';

const given = DeciderSpecification.for(decideArea, evolveArea, initialAreaState);

const boundary: GeoJsonPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [-0.09, 51.64],
      [-0.07, 51.64],
      [-0.07, 51.66],
      [-0.09, 51.64],
    ],
  ],
};

const put = (overrides: Partial<PutArea> = {}): PutArea => ({
  type: 'PutArea',
  actor: admin,
  now: NOW,
  code: 'enfield-town',
  name: 'Area enfield-town',
  partnership: PARTNERSHIP,
  centroid: { lat: 51.652, lng: -0.081 },
  ...overrides,
});

describe('area', () => {
  it('registers an area on the first PUT', () => {
    given([]).when(put()).then(areaRegistered());
  });

  it('registers its boundary', () => {
    given([])
      .when(put({ boundary }))
      .then({ type: 'AreaRegistered', data: { ...areaRegistered().data, boundary } });
  });

  it('updates only the fields that changed on a repeated PUT', () => {
    given([areaRegistered()])
      .when(put({ name: 'Enfield Town centre', boundary }))
      .then({ type: 'AreaUpdated', data: { name: 'Enfield Town centre', boundary } });
  });

  it('updates the centroid', () => {
    given([areaRegistered()])
      .when(put({ centroid: { lat: 51.653, lng: -0.08 } }))
      .then({ type: 'AreaUpdated', data: { centroid: { lat: 51.653, lng: -0.08 } } });
  });

  it('decides nothing when nothing changed', () => {
    given([areaRegistered()]).when(put()).thenNothing();
  });

  it('leaves the boundary when a PUT omits it', () => {
    given([areaRegistered(), { type: 'AreaUpdated', data: { boundary } }]).when(put()).thenNothing();
  });

  it('refuses to move an area to another partnership', () => {
    const holdsBoth = { ...admin, partnerships: [PARTNERSHIP, OTHER_PARTNERSHIP] };
    given([areaRegistered()]).when(put({ actor: holdsBoth, partnership: OTHER_PARTNERSHIP })).thenFails('VALIDATION_FAILED');
  });

  it('answers not found for an area of a partnership the admin does not hold', () => {
    given([areaRegistered('enfield-town', OTHER_PARTNERSHIP)]).when(put()).thenFails('NOT_FOUND');
    given([]).when(put({ partnership: OTHER_PARTNERSHIP })).thenFails('NOT_FOUND');
  });

  it('refuses a centroid out of range and a malformed boundary', () => {
    const error = given([])
      .when(put({ centroid: { lat: 95, lng: 0 }, boundary: { type: 'Polygon', coordinates: [[[0, 0]]] } }))
      .thenFails('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['centroid.lat', 'boundary']);
  });

  it('refuses an inspector', () => {
    given([]).when(put({ actor: inspector })).thenFails('FORBIDDEN_ROLE');
  });

  it('evolves updates over the registration', () => {
    const state = [areaRegistered(), { type: 'AreaUpdated', data: { name: 'Renamed' } } as const].reduce(evolveArea, initialAreaState);
    expect(state).toEqual({ status: 'registered', revision: 1, code: 'enfield-town', name: 'Renamed', partnership: PARTNERSHIP, centroid: { lat: 51.652, lng: -0.081 }, boundary: undefined });
  });
});
