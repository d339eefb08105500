import { NORTH, SOUTH, startCommandApp, type CommandApp } from './support/command-app';
import { assignAction, people, problemBody, registerReferenceData, type People } from './support/fixtures';

const YEAR = new Date().getUTCFullYear();

describe('case references over HTTP', () => {
  let t: CommandApp;
  let p: People;

  beforeAll(async () => {
    t = await startCommandApp({ REFERENCE_PREFIXES: `${NORTH}=SAFE` });
    p = await people(t);
    await registerReferenceData(t, p);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A query route, read after `position` (X-Min-Position). */
  async function get(url: string, token: string, position: string): Promise<{ status: number; body: any }> {
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, 'x-min-position': position } });
    return { status: response.statusCode, body: response.json() };
  }

  const raise = (token: string, overrides: Record<string, unknown> = {}) => t.post('/v1/problems', { token, body: problemBody(overrides) });

  it('gives 20 problems raised at once 20 distinct references, numbered from the partnership counter', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => raise(p.inspector, { title: `Concurrent problem ${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));

    const references = await Promise.all(answers.map(async (a) => (await t.events(`problem-${a.body.id}`))[0]!.data['reference'] as string));
    expect(new Set(references).size).toBe(20);
    for (const reference of references) expect(reference).toMatch(new RegExp(`^SAFE-${YEAR}-\\d{4}$`));
    expect(references.map((r) => Number(r.slice(-4))).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    const last = answers.map((a) => a.body.position as string).sort().at(-1)!;
    const list = await get('/v1/problems?limit=100', p.inspector, last);
    expect(list.status).toBe(200);
    const listed: string[] = list.body.items.map((item: { reference: string }) => item.reference);
    expect([...listed].sort()).toEqual([...references].sort());
  });

  it('counts each partnership on its own, its prefix derived from its code when none is configured', async () => {
    const south = await raise(p.southInspector, { location: { areaCode: 'tottenham' } });
    expect(south.status).toBe(201);
    const [raised] = await t.events(`problem-${south.body.id}`);
    expect(raised!.data['reference']).toBe(`SOUTH-${YEAR}-0001`);
  });

  it('numbers actions on their problem and shows the references in the problem, its actions and the work queue', async () => {
    const raised = await raise(p.inspector, { title: 'Needs two actions' });
    const reference = (await t.events(`problem-${raised.body.id}`))[0]!.data['reference'] as string;
    const first = await assignAction(t, p.inspector, raised.body.id, 'COUNCIL-ASB');
    await assignAction(t, p.inspector, raised.body.id, 'FIRE');
    const [assigned] = await t.events(`action-${first}`);
    expect(assigned!.data['reference']).toBe(`${reference}/1`);
    const position = (await t.events(`problem-${raised.body.id}`)).at(-1)!.position;

    const detail = await get(`/v1/problems/${raised.body.id}`, p.inspector, position);
    expect(detail.body.reference).toBe(reference);
    expect(detail.body.actions.map((a: { reference: string }) => a.reference).sort()).toEqual([`${reference}/1`, `${reference}/2`]);

    const queue = await get('/v1/actions?agency=COUNCIL-ASB', p.council, position);
    expect(queue.body.items.find((a: { id: string }) => a.id === first)).toMatchObject({ reference: `${reference}/1` });
  });

  it('finds a problem by its reference, or by its number alone', async () => {
    const raised = await raise(p.inspector, { title: 'Graffiti on the underpass', description: 'Tags renewed weekly' });
    const reference = (await t.events(`problem-${raised.body.id}`))[0]!.data['reference'] as string;
    const ids = async (q: string) =>
      (await get(`/v1/problems?q=${encodeURIComponent(q)}`, p.inspector, raised.body.position)).body.items.map((item: { id: string }) => item.id);

    expect(await ids(reference)).toEqual([raised.body.id]);
    expect(await ids(reference.toLowerCase())).toEqual([raised.body.id]);
    expect(await ids(reference.slice(-4))).toEqual([raised.body.id]);
    expect(await ids(`SAFE-${YEAR}-9999`)).toEqual([]);
  });

  it('issues no number to a repeated request, and skips the number of a refused raise', async () => {
    const referenceOf = async (id: string) => (await t.events(`problem-${id}`))[0]!.data['reference'] as string;
    const headers = { 'idempotency-key': 'raise-once' };
    const first = await t.post('/v1/problems', { token: p.southInspector, body: problemBody({ location: { areaCode: 'tottenham' } }), headers });
    const again = await t.post('/v1/problems', { token: p.southInspector, body: problemBody({ location: { areaCode: 'tottenham' } }), headers });
    expect(again.body).toEqual(first.body);
    const refused = await raise(p.southInspector, { location: { areaCode: 'nowhere' } });
    expect(refused.status).toBe(422);
    const next = await raise(p.southInspector, { location: { areaCode: 'tottenham' } });

    const numberOf = async (id: string) => Number((await referenceOf(id)).slice(-4));
    expect(await numberOf(next.body.id)).toBe((await numberOf(first.body.id)) + 2);
  });

  it('refuses a prefix that cannot stand in a reference', async () => {
    await expect(startCommandApp({ REFERENCE_PREFIXES: `${SOUTH}=south` })).rejects.toThrow(/REFERENCE_PREFIXES/);
  });
});
