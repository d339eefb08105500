import type { EventData } from '@tasking/domain';
import { PROBLEM_SEARCH_DOCUMENT, problemSearchMatch } from '@tasking/projections';
import { raiseProblem } from '../support/fixtures';
import { openTestApp, type TestApp } from '../support/test-runtime';

/**
 * `GET /v1/problems?q=`: full-text search over titles, descriptions and areas, with the list's
 * visibility and filters, on PostgreSQL and on the embedded store (PGlite), through a rebuild.
 */
describe.each([
  ['PostgreSQL', false],
  ['the embedded store', true],
])('problem search on %s', (_name, embedded) => {
  let t: TestApp;
  let inspector: string;
  const ids: Record<string, string> = {};

  const raise = async (key: string, data: Partial<EventData<'ProblemRaised'>>) => {
    const { problemId, result } = await raiseProblem(t.runtime.store, data);
    ids[key] = problemId;
    return result.position;
  };
  const titles = async (query: string, token = inspector): Promise<string[]> => {
    const response = await t.get(`/v1/problems?${query}`, { token });
    expect(response.status).toBe(200);
    return response.body.items.map((p: { id: string }) => Object.keys(ids).find((key) => ids[key] === p.id) ?? p.id);
  };

  beforeAll(async () => {
    t = await openTestApp({ embedded });
    inspector = await t.token({ roles: ['inspector'], partnerships: ['default'] });
    await t.append('area-market-parade', [
      { type: 'AreaRegistered', data: { code: 'market-parade', name: 'Market Parade', partnership: 'default', centroid: { lat: 51.65, lng: -0.08 } } },
    ]);
    await t.append('area-fore-street', [
      { type: 'AreaRegistered', data: { code: 'fore-street', name: 'Edmonton Green', partnership: 'default', centroid: { lat: 51.62, lng: -0.06 } } },
    ]);
    await raise('flyTipping', {
      title: 'Fly-tipping behind the parade',
      description: 'Bags of rubbish dumped weekly by the garages',
      category: 'fly-tipping',
      location: { areaCode: 'market-parade' },
      raisedAt: '2025-03-01T09:00:00Z',
    });
    await raise('youth', {
      title: 'Youth disorder outside the shops',
      description: 'Groups gathering after 9pm, fireworks thrown',
      location: { areaCode: 'fore-street' },
      raisedAt: '2025-03-02T09:00:00Z',
    });
    await raise('dumpingNewer', {
      title: 'Mattresses dumped in the alley',
      description: 'A second dumping site near the garages',
      category: 'fly-tipping',
      location: { areaCode: 'fore-street' },
      raisedAt: '2025-03-03T09:00:00Z',
    });
    await raise('elsewhere', {
      partnership: 'elsewhere',
      title: 'Rubbish dumped by the garages',
      description: 'Another partnership',
      location: { areaCode: 'other-town' },
      raisedAt: '2025-03-04T09:00:00Z',
    });
    const last = await raise('erased', {
      title: 'Abandoned car of Jordan Blake',
      description: 'Jordan Blake leaves rubbish by the garages',
      location: { areaCode: 'market-parade' },
      raisedAt: '2025-02-01T09:00:00Z',
    });
    await t.append(`problem-${ids['erased']!}`, [
      { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'Jordan Blake moved away', closedAt: '2025-02-09T12:00:00Z' } },
      { type: 'ProblemPersonalDataErased', data: { reason: 'retention', closedAt: '2025-02-09T12:00:00Z', retentionYears: 6, erasedAt: '2031-02-10T00:00:00Z' } },
    ]);
    const erased = await t.append('area-noop', [
      { type: 'AreaRegistered', data: { code: 'noop', name: 'Nowhere', partnership: 'elsewhere', centroid: { lat: 51, lng: 0 } } },
    ]);
    await t.caughtUp(erased.position > last ? erased.position : last);
  }, 60_000);
  afterAll(() => t.close());

  it('finds words in titles and descriptions with stemming, newest first', async () => {
    expect(await titles('q=dumping')).toEqual(['dumpingNewer', 'flyTipping']);
    expect(await titles('q=FIREWORK')).toEqual(['youth']);
    expect(await titles('q=garage%20bags')).toEqual(['flyTipping']);
    expect(await titles('q=%22behind%20the%20parade%22')).toEqual(['flyTipping']);
    expect(await titles('q=dumped%20-mattresses')).toEqual(['flyTipping']);
    expect(await titles('q=nothing%20like%20this')).toEqual([]);
    expect(await titles('q=the')).toEqual([]); // stop words only: nothing, not everything
  });

  it('finds problems by their area code and by the registered area name', async () => {
    expect(await titles('q=market')).toEqual(['flyTipping', 'erased']);
    expect(await titles('q=Edmonton%20Green')).toEqual(['dumpingNewer', 'youth']);
  });

  it('keeps to what the caller may see and combines with the other filters and the cursor', async () => {
    const other = await t.token({ roles: ['manager'], partnerships: ['elsewhere'] });
    expect(await titles('q=garages', other)).toEqual(['elsewhere']);
    const both = await t.token({ roles: ['manager'], partnerships: ['default', 'elsewhere'] });
    expect(await titles('q=garages&partnership=default', both)).toEqual(['dumpingNewer', 'flyTipping']);
    expect(await titles('q=garages&category=fly-tipping')).toEqual(['dumpingNewer', 'flyTipping']);
    expect(await titles('q=garages&areaCode=market-parade')).toEqual(['flyTipping']);
    const first = await t.get('/v1/problems?q=garages&limit=1', { token: inspector });
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids['dumpingNewer']]);
    const second = await t.get(`/v1/problems?q=garages&limit=1&cursor=${encodeURIComponent(first.body.nextCursor as string)}`, { token: inspector });
    expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([ids['flyTipping']]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('never finds a problem by text the retention erasure removed', async () => {
    expect(await titles('q=Jordan')).toEqual([]);
    expect(await titles('q=abandoned%20car')).toEqual([]);
    expect(await titles('q=erased')).toEqual([]);
    expect(await titles('q=market&status=closed')).toEqual(['erased']); // the area is not personal data
  });

  it.each([
    ['too long', `q=${'a'.repeat(201)}`],
    ['empty', 'q='],
    ['punctuation only', 'q=%22%22%20-'],
    ['a control character', 'q=rubbish%0Adumped'],
    ['a NUL', 'q=rubbish%00'],
    ['a bidirectional override', 'q=rubbish%E2%80%AEdumped'],
    ['repeated', 'q=rubbish&q=dumped'],
  ])('refuses a search text that is %s with a 400 problem+json', async (_case, query) => {
    const response = await t.get(`/v1/problems?${query}`, { token: inspector });
    expect(response.status).toBe(400);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'q' })]) });
  });

  it('accepts 200 characters and search syntax that tsquery itself would refuse', async () => {
    expect(await titles(`q=${'rubbish '.repeat(25).slice(0, 200)}`)).toEqual(['flyTipping']);
    expect(await titles(`q=${encodeURIComponent("dumped & | ! ( ) : * ' \\ <->")}`)).toEqual(['dumpingNewer', 'flyTipping']);
  });

  it('matches through the search index, which a rebuild of the problems projection keeps', async () => {
    const { dataSource } = t.runtime.readModels;
    const usesIndex = async () =>
      dataSource.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        const plan: { 'QUERY PLAN': string }[] = await tx.query(
          `EXPLAIN SELECT id FROM problems p WHERE ${PROBLEM_SEARCH_DOCUMENT('p')} @@ websearch_to_tsquery('english'::regconfig, $1)`,
          ['rubbish'],
        );
        return plan.map((row) => row['QUERY PLAN']).join('\n');
      });
    expect(await usesIndex()).toContain('problems_search_idx');
    // The list's condition, with areas found by name: a bitmap OR of the search and area indexes.
    const listPlan = await dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const condition = problemSearchMatch('p', 'q', 'areaCodes').replace(':q', '$1').replace(':areaCodes', '$2');
      const plan: { 'QUERY PLAN': string }[] = await tx.query(`EXPLAIN SELECT id FROM problems p WHERE ${condition}`, ['rubbish', ['market-parade']]);
      return plan.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(listPlan).toContain('problems_search_idx');
    expect(listPlan).toContain('BitmapOr');
    await t.runtime.projections.rebuild('problems');
    expect(await usesIndex()).toContain('problems_search_idx');
    expect(await titles('q=dumping')).toEqual(['dumpingNewer', 'flyTipping']);
    expect(await titles('q=Jordan')).toEqual([]);
  });
});
