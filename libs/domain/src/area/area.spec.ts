import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, areaRegistered, areaState, inspector } from '../testing/fixtures';
import type { AreaEvent, AreaUpdated, GeoJsonMultiPolygon, GeoJsonPolygon } from './area.events';
import { decideArea, isAreaBoundary, MAX_AREA_LSOAS, type PutArea } from './area.decide';
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
    expect(state).toEqual({
      status: 'registered',
      revision: 1,
      code: 'enfield-town',
      name: 'Renamed',
      partnership: PARTNERSHIP,
      centroid: { lat: 51.652, lng: -0.081 },
      boundary: undefined,
      lsoaCodes: [],
      neighbours: [],
      externalCode: undefined,
    });
  });

  describe('LSOAs, neighbours, external code and MultiPolygon boundaries', () => {
    const islands: GeoJsonMultiPolygon = { type: 'MultiPolygon', coordinates: [boundary.coordinates, [[[-0.1, 51.6], [-0.09, 51.6], [-0.09, 51.61], [-0.1, 51.6]]]] };
    const neighbourAreas = { edmonton: areaState('edmonton'), 'bush-hill': areaState('bush-hill') };

    it('registers LSOA codes upper-cased, sorted and without repeats, neighbours, and the external code exactly as given', () => {
      given([])
        .when(put({ lsoaCodes: ['e01001500', 'E01001499', 'E01001500'], neighbours: ['edmonton', 'bush-hill', 'edmonton'], neighbourAreas, externalCode: 'E05000201 ' }))
        .then({
          type: 'AreaRegistered',
          data: { ...areaRegistered().data, lsoaCodes: ['E01001499', 'E01001500'], neighbours: ['bush-hill', 'edmonton'], externalCode: 'E05000201 ' },
        });
    });

    it('registers a MultiPolygon boundary', () => {
      given([]).when(put({ boundary: islands })).then({ type: 'AreaRegistered', data: { ...areaRegistered().data, boundary: islands } });
    });

    it('updates the lists when they change, in any order or case, and leaves them when a PUT omits them', () => {
      const listed: AreaUpdated = { type: 'AreaUpdated', data: { lsoaCodes: ['E01001499'], neighbours: ['edmonton'], externalCode: 'E05000201' } };
      given([areaRegistered()])
        .when(put({ lsoaCodes: ['e01001499'], neighbours: ['edmonton'], neighbourAreas, externalCode: 'E05000201' }))
        .then(listed);
      given([areaRegistered(), listed]).when(put()).thenNothing();
      given([areaRegistered(), listed]).when(put({ lsoaCodes: ['E01001499'], neighbours: ['edmonton'], neighbourAreas })).thenNothing();
      given([areaRegistered(), listed])
        .when(put({ lsoaCodes: [], neighbours: ['bush-hill', 'edmonton'], neighbourAreas }))
        .then({ type: 'AreaUpdated', data: { lsoaCodes: [], neighbours: ['bush-hill', 'edmonton'] } });
    });

    it('refuses a neighbour that is not a registered area of the same partnership', () => {
      given([]).when(put({ neighbours: ['edmonton'], neighbourAreas: {} })).thenFails('UNKNOWN_AREA');
      given([]).when(put({ neighbours: ['edmonton'], neighbourAreas: { edmonton: areaState('edmonton', OTHER_PARTNERSHIP) } })).thenFails('UNKNOWN_AREA');
    });

    it('refuses malformed LSOA codes, too many of them, an area as its own neighbour and an empty external code', () => {
      const error = given([])
        .when(put({ lsoaCodes: ['E0100150'], neighbours: ['enfield-town'], externalCode: ' ' }))
        .thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['lsoaCodes', 'neighbours', 'externalCode']);
      const many = Array.from({ length: MAX_AREA_LSOAS + 1 }, (_, i) => `E0${String(i).padStart(8, '0')}`);
      given([]).when(put({ lsoaCodes: many })).thenFails('VALIDATION_FAILED');
    });

    it('evolves the lists, old registrations without them folding to empty lists', () => {
      const events: AreaEvent[] = [areaRegistered(), { type: 'AreaUpdated', data: { lsoaCodes: ['E01001499'], externalCode: 'E05000201' } }];
      const state = events.reduce(evolveArea, initialAreaState);
      expect(state).toMatchObject({ lsoaCodes: ['E01001499'], neighbours: [], externalCode: 'E05000201' });
    });

    it('accepts Polygons and MultiPolygons of closed rings only', () => {
      expect(isAreaBoundary(boundary)).toBe(true);
      expect(isAreaBoundary(islands)).toBe(true);
      expect(isAreaBoundary({ type: 'MultiPolygon', coordinates: [] })).toBe(false);
      expect(isAreaBoundary({ type: 'MultiPolygon', coordinates: boundary.coordinates })).toBe(false);
      expect(isAreaBoundary({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 1]]]] })).toBe(false);
      expect(isAreaBoundary({ type: 'Point', coordinates: [0, 0] })).toBe(false);
    });
  });
});
