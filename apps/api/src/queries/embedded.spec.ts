import { assignAction, raiseProblem } from '../../../../test/support/fixtures';
import { openTestApp, type TestApp } from '../../../../test/support/test-runtime';

/** The embedded quick start: store, read models, checkpoints and queries on PGlite's one session. */
describe('queries on the embedded store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ embedded: true });
  }, 60_000);
  afterAll(() => t.close());

  it('serves lists, details, history and the admin view while the projections run on the same session', async () => {
    const inspector = await t.token({ roles: ['inspector', 'admin'] });
    const { problemId } = await raiseProblem(t.runtime.store);
    const { actionId, result } = await assignAction(t.runtime.store, problemId);
    const requests = await Promise.all([
      t.get(`/v1/problems/${problemId}`, { token: inspector, headers: { 'x-min-position': result.position } }),
      t.get('/v1/problems', { token: inspector, headers: { 'x-min-position': result.position } }),
      t.get(`/v1/actions/${actionId}`, { token: inspector, headers: { 'x-min-position': result.position } }),
      t.get(`/v1/problems/${problemId}/history`, { token: inspector }),
      t.get(`/v1/problems/${problemId}?asAt=2100-01-01`, { token: inspector }),
      t.get('/v1/admin/projections', { token: inspector }),
    ]);
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(requests[0]!.body.actions.map((a: { id: string }) => a.id)).toEqual([actionId]);
    expect(requests[4]!.body).toEqual(requests[0]!.body);
    expect(requests[3]!.body.items.map((e: { type: string }) => e.type)).toEqual(['ProblemRaised', 'ActionAgreed', 'ActionAssigned']);
    expect(t.runtime.db.pool.totalCount).toBe(1);
  });
});
