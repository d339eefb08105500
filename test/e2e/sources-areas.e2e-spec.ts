import { QueryBus } from '@nestjs/cqrs';
import { resolveArea } from '@tasking/application';
import { PartnershipAreasQuery } from '@tasking/projections';
import { injectJson } from '../support/inject';
import { NORTH, SOUTH, startCommandApp, type CommandApp } from './support/command-app';
import { people, registerReferenceData, type People } from './support/fixtures';

const square = (west: number, south: number, east: number, north: number): number[][] => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];

describe('sources of incidents and areas for resolving them, over HTTP', () => {
  let t: CommandApp;
  let p: People;
  const get = async (url: string, token: string, position?: string) => {
    if (position) expect(await t.runtime.projections.waitFor(position, 20_000)).toBe(true);
    return injectJson(t.app, 'GET', url, { token });
  };
  const areaOf = async (code: string, token: string, position?: string) =>
    (await get('/v1/areas', token, position)).body.items.find((a: { code: string }) => a.code === code);

  beforeAll(async () => {
    t = await startCommandApp();
    p = await people(t);
    await registerReferenceData(t, p);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('sources', () => {
    it('registers a source with the triage default of its kind, and lists it beside each partnership\'s built-in open311', async () => {
      const police = await t.put('/v1/sources/Police', {
        token: p.admin,
        body: { partnership: NORTH, name: 'Met street crime', kind: 'police', categoryMap: { 'Anti-social behaviour': 'asb-general', Drugs: 'drugs' } },
      });
      expect(police).toMatchObject({ status: 200, body: { id: 'police', revision: 0 } });
      expect(await t.events('source-north.police')).toMatchObject([
        { type: 'SourceRegistered', data: { code: 'police', partnership: NORTH, name: 'Met street crime', kind: 'police', triage: false, categoryMap: { 'Anti-social behaviour': 'asb-general', Drugs: 'drugs' } } },
      ]);
      const fms = await t.put('/v1/sources/fms', { token: p.northAdmin, body: { name: 'FixMyStreet', kind: 'community' } });
      expect(fms.status).toBe(200);
      expect((await t.events('source-north.fms'))[0]!.data).toMatchObject({ triage: true, categoryMap: {} });
      const southPolice = await t.put('/v1/sources/police', { token: p.admin, body: { partnership: SOUTH, name: 'South street crime', kind: 'police', triage: true } });
      expect(southPolice.status).toBe(200);

      const listed = await get('/v1/sources', p.inspector, southPolice.body.position);
      expect(listed).toMatchObject({ status: 200 });
      expect(listed.body).toEqual({
        items: [
          { code: 'fms', partnership: NORTH, name: 'FixMyStreet', kind: 'community', triage: true, categoryMap: {}, builtIn: false, coveredUntil: null },
          { code: 'open311', partnership: NORTH, name: 'Open311 reports', kind: 'community', triage: true, categoryMap: {}, builtIn: true, coveredUntil: null },
          {
            code: 'police',
            partnership: NORTH,
            name: 'Met street crime',
            kind: 'police',
            triage: false,
            categoryMap: { 'Anti-social behaviour': 'asb-general', Drugs: 'drugs' },
            builtIn: false,
            coveredUntil: null,
          },
        ],
        nextCursor: null,
      });
      const both = await get('/v1/sources', p.admin);
      expect(both.body.items.map((s: { partnership: string; code: string }) => `${s.partnership}.${s.code}`)).toEqual([
        'north.fms',
        'north.open311',
        'north.police',
        'south.open311',
        'south.police',
      ]);
      expect((await get('/v1/sources?partnership=south', p.admin)).body.items.map((s: { code: string }) => s.code)).toEqual(['open311', 'police']);
    });

    it('updates only what changed, and a repeat appends nothing', async () => {
      const body = { partnership: NORTH, name: 'Met street crime', kind: 'police', triage: true, categoryMap: { Drugs: 'drugs' } };
      const updated = await t.put('/v1/sources/police', { token: p.admin, body });
      expect(updated).toMatchObject({ status: 200, body: { revision: 1 } });
      expect((await t.events('source-north.police'))[1]).toMatchObject({ type: 'SourceUpdated', data: { triage: true, categoryMap: { Drugs: 'drugs' } } });
      const again = await t.put('/v1/sources/police', { token: p.admin, body });
      expect(again.status).toBe(200);
      expect(await t.types('source-north.police')).toEqual(['SourceRegistered', 'SourceUpdated']);
      const police = (await get('/v1/sources', p.manager, updated.body.position)).body.items.find((s: { code: string }) => s.code === 'police');
      expect(police).toMatchObject({ triage: true, categoryMap: { Drugs: 'drugs' } });
    });

    it('refuses, changing nothing: a category map value that is no problem category, an unknown kind, the open311 code, unknown fields', async () => {
      const refusals: [string, unknown][] = [
        ['council', { name: 'Council', kind: 'council', categoryMap: { 'Fly tipping': 'rubbish' } }],
        ['council', { name: 'Council', kind: 'parish' }],
        ['council', { name: 'Council', kind: 'council', categoryMap: ['fly-tipping'] }],
        ['council', { name: 'Council', kind: 'council', colour: 'red' }],
        ['open311', { name: 'Mine', kind: 'community' }],
        ['not a code', { name: 'Council', kind: 'council' }],
      ];
      for (const [code, body] of refusals) {
        const answer = await t.put(`/v1/sources/${encodeURIComponent(code)}`, { token: p.northAdmin, body });
        expect([code, answer.status, answer.body.code]).toEqual([code, 400, 'VALIDATION_FAILED']);
      }
      expect(await t.types('source-north.council')).toEqual([]);
      expect(await t.types('source-north.open311')).toEqual([]);
    });

    it('lets only admins register and only inspectors, managers and admins list', async () => {
      const answer = await t.put('/v1/sources/council', { token: p.inspector, body: { name: 'Council', kind: 'council' } });
      expect(answer).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
      expect((await get('/v1/sources', p.council)).status).toBe(403);
      expect(await t.types('source-north.council')).toEqual([]);
    });
  });

  describe('areas', () => {
    const boundary = { type: 'MultiPolygon', coordinates: [[square(-0.1, 51.64, -0.06, 51.67)], [square(-0.2, 51.7, -0.19, 51.71)]] };

    it('stores LSOA codes upper-case, neighbours, the external code as given and a MultiPolygon boundary, and shows them', async () => {
      const put = await t.put('/v1/areas/enfield-town', {
        token: p.admin,
        body: {
          name: 'Enfield Town',
          centroid: { lat: 51.652, lng: -0.081 },
          boundary,
          lsoaCodes: ['e01001500', 'E01001499'],
          neighbours: ['Edmonton'],
          externalCode: 'E05000201',
        },
      });
      expect(put).toMatchObject({ status: 200, body: { revision: 1 } });
      expect((await t.events('area-enfield-town'))[1]).toMatchObject({
        type: 'AreaUpdated',
        data: { boundary, lsoaCodes: ['E01001499', 'E01001500'], neighbours: ['edmonton'], externalCode: 'E05000201' },
      });
      expect(await areaOf('enfield-town', p.council, put.body.position)).toEqual({
        code: 'enfield-town',
        partnership: NORTH,
        name: 'Enfield Town',
        centroid: { lat: 51.652, lng: -0.081 },
        boundary,
        lsoaCodes: ['E01001499', 'E01001500'],
        neighbours: ['edmonton'],
        externalCode: 'E05000201',
      });
      // An area registered before areas listed LSOAs shows empty lists.
      expect(await areaOf('edmonton', p.council)).toMatchObject({ lsoaCodes: [], neighbours: [], externalCode: null, boundary: null });
    });

    it('refuses a neighbour of another partnership or none, and malformed LSOA codes and boundaries, changing nothing', async () => {
      const before = await t.types('area-edmonton');
      const body = { name: 'Edmonton', centroid: { lat: 51.615, lng: -0.067 } };
      const south = await t.put('/v1/areas/edmonton', { token: p.admin, body: { ...body, neighbours: ['tottenham'] } });
      expect(south).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AREA' } });
      const nowhere = await t.put('/v1/areas/edmonton', { token: p.admin, body: { ...body, neighbours: ['nowhere'] } });
      expect(nowhere).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AREA' } });
      for (const bad of [{ lsoaCodes: ['E0100'] }, { lsoaCodes: 'E01001499' }, { boundary: { type: 'MultiPolygon', coordinates: [square(0, 0, 1, 1)] } }, { externalCode: '' }]) {
        const answer = await t.put('/v1/areas/edmonton', { token: p.admin, body: { ...body, ...bad } });
        expect([Object.keys(bad)[0], answer.status, answer.body.code]).toEqual([Object.keys(bad)[0], 400, 'VALIDATION_FAILED']);
      }
      expect(await t.types('area-edmonton')).toEqual(before);
    });

    it("gives area resolution each partnership's areas, the same list until one changes", async () => {
      const queries = t.app.get(QueryBus);
      const areas = await queries.execute(new PartnershipAreasQuery(NORTH));
      expect(areas.map((a) => a.code)).toEqual(['edmonton', 'enfield-town']);
      expect(resolveArea({ lsoaCode: 'e01001499' }, areas)).toBe('enfield-town');
      expect(resolveArea({ lat: 51.705, lng: -0.195 }, areas)).toBe('enfield-town');
      expect(resolveArea({ lat: 51.615, lng: -0.3 }, areas)).toBeUndefined();
      expect(await queries.execute(new PartnershipAreasQuery(NORTH))).toBe(areas);
      expect((await queries.execute(new PartnershipAreasQuery(SOUTH))).map((a) => a.code)).toEqual(['tottenham']);

      const put = await t.put('/v1/areas/edmonton', {
        token: p.admin,
        body: { name: 'Edmonton', centroid: { lat: 51.615, lng: -0.067 }, boundary: { type: 'Polygon', coordinates: [square(-0.32, 51.6, -0.28, 51.63)] } },
      });
      expect(put.status).toBe(200);
      expect(await t.runtime.projections.waitFor(put.body.position, 20_000)).toBe(true);
      const changed = await queries.execute(new PartnershipAreasQuery(NORTH));
      expect(changed).not.toBe(areas);
      expect(resolveArea({ lat: 51.615, lng: -0.3 }, changed)).toBe('edmonton');
    });
  });
});
