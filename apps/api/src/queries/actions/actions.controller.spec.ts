import { randomUUID } from 'node:crypto';
import { FixedClock } from '@tasking/shared';
import { assignAction, raiseProblem } from '../../../../../test/support/fixtures';
import { openTestApp, type TestApp } from '../../../../../test/support/test-runtime';

describe('work queue and action queries', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2025-03-20T12:00:00Z'));
  const actions: Record<string, string> = {};
  let problemId: string;
  let hiddenAction: string;

  beforeAll(async () => {
    t = await openTestApp({ clock });
    const store = t.runtime.store;
    problemId = (await raiseProblem(store)).problemId;
    // COUNCIL-ASB: one overdue unclaimed, one claimed not yet due, one discharged (past due, so not overdue)
    actions.overdue = (await assignAction(store, problemId, { agency: 'COUNCIL-ASB', dueBy: '2025-03-10T17:00:00Z' })).actionId;
    actions.claimed = (await assignAction(store, problemId, { agency: 'COUNCIL-ASB', dueBy: '2025-04-10T17:00:00Z' })).actionId;
    actions.discharged = (await assignAction(store, problemId, { agency: 'COUNCIL-ASB', dueBy: '2025-03-01T17:00:00Z' })).actionId;
    actions.fire = (await assignAction(store, problemId, { agency: 'FIRE', dueBy: '2025-03-25T17:00:00Z' })).actionId;
    await t.append(`action-${actions.claimed}`, [{ type: 'ActionClaimed', data: { by: { userId: 'u-c', name: 'Sam Patel', agency: 'COUNCIL-ASB' } } }]);
    await t.append(`action-${actions.discharged}`, [
      { type: 'ActionClaimed', data: { by: { userId: 'u-c', name: 'Sam Patel', agency: 'COUNCIL-ASB' } } },
      { type: 'ActionDischarged', data: { result: 'completed', note: 'done', dischargedAt: '2025-03-01T10:00:00Z' } },
    ]);
    const elsewhere = await raiseProblem(store, { partnership: 'elsewhere' });
    const hidden = await assignAction(store, elsewhere.problemId, { partnership: 'elsewhere', agency: 'COUNCIL-ASB' });
    hiddenAction = hidden.actionId;
    await t.caughtUp(hidden.result.position);
  });
  afterAll(() => t.close());

  const ids = (body: { items: { id: string }[] }) => body.items.map((a) => a.id);

  it('shows an officer their own agency queue, soonest due first, and refuses another agency', async () => {
    const officer = await t.token({ roles: ['officer'], agency: 'COUNCIL-ASB' });
    const own = await t.get('/v1/actions', { token: officer });
    expect(own.status).toBe(200);
    expect(ids(own.body)).toEqual([actions.discharged, actions.overdue, actions.claimed]);
    expect((await t.get('/v1/actions?agency=council-asb', { token: officer })).status).toBe(200);
    const other = await t.get('/v1/actions?agency=FIRE', { token: officer });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('WRONG_AGENCY');
  });

  it('lets inspectors and managers read any agency, filter by status, overdue and problem', async () => {
    const manager = await t.token({ roles: ['manager'], agency: 'COUNCIL-ASB' });
    expect(ids((await t.get('/v1/actions?agency=FIRE', { token: manager })).body)).toEqual([actions.fire]);
    expect(ids((await t.get('/v1/actions?overdue=true', { token: manager })).body)).toEqual([actions.overdue]);
    expect(ids((await t.get('/v1/actions?status=claimed', { token: manager })).body)).toEqual([actions.claimed]);
    expect(ids((await t.get(`/v1/actions?problemId=${problemId}&limit=500`, { token: manager })).body)).toHaveLength(4);
    const all = await t.get('/v1/actions?limit=500', { token: manager });
    expect(ids(all.body)).not.toContain(hiddenAction);
    const overdue = all.body.items.find((a: { id: string }) => a.id === actions.overdue);
    expect(overdue).toMatchObject({ status: 'unclaimed', open: true, overdue: true, agency: 'COUNCIL-ASB', problemId });
    expect(all.body.items.find((a: { id: string }) => a.id === actions.discharged)).toMatchObject({
      status: 'discharged',
      overdue: false,
      discharge: { result: 'completed', note: 'done', dischargedAt: '2025-03-01T10:00:00.000Z' },
    });
  });

  it('filters by several statuses at once and by the caller\'s own claims', async () => {
    const officer = await t.token({ roles: ['officer'], agency: 'COUNCIL-ASB', sub: 'u-c' });
    expect(ids((await t.get('/v1/actions?status=unclaimed,claimed', { token: officer })).body)).toEqual([actions.overdue, actions.claimed]);
    expect(ids((await t.get('/v1/actions?claimedBy=me', { token: officer })).body)).toEqual([actions.discharged, actions.claimed]);
    expect(ids((await t.get('/v1/actions?status=unclaimed,claimed&claimedBy=me', { token: officer })).body)).toEqual([actions.claimed]);
    const colleague = await t.token({ roles: ['officer'], agency: 'COUNCIL-ASB', sub: 'u-other' });
    expect(ids((await t.get('/v1/actions?claimedBy=me', { token: colleague })).body)).toEqual([]);
    const bad = await t.get('/v1/actions?status=claimed,lost&claimedBy=you', { token: officer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['status', 'claimedBy']));
    expect((await t.get('/v1/actions?status=claimed,claimed', { token: officer })).status).toBe(400);
  });

  it('names each action\'s problem: title, category and area, in the list and the detail', async () => {
    const officer = await t.token({ roles: ['officer'], agency: 'COUNCIL-ASB' });
    const list = await t.get('/v1/actions', { token: officer });
    const problem = (await t.get(`/v1/problems/${problemId}`, { token: officer })).body;
    for (const item of list.body.items) {
      expect(item.problem).toEqual({ id: problemId, title: problem.title, category: problem.category, areaCode: problem.location.areaCode, status: 'open' });
    }
    expect(problem.title).toEqual(expect.any(String));
    const one = await t.get(`/v1/actions/${actions.claimed}`, { token: officer });
    expect(one.body.problem).toMatchObject({ id: problemId, title: problem.title });
  });

  it('pages the queue with a keyset cursor', async () => {
    const inspector = await t.token();
    const first = await t.get('/v1/actions?limit=3', { token: inspector });
    expect(first.body.items).toHaveLength(3);
    const second = await t.get(`/v1/actions?limit=3&cursor=${first.body.nextCursor}`, { token: inspector });
    expect(ids(second.body)).toEqual([actions.claimed]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('validates filters', async () => {
    const inspector = await t.token();
    const response = await t.get('/v1/actions?status=lost&overdue=yes&problemId=42&agency=%20', { token: inspector });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['status', 'overdue', 'problemId', 'agency']));
  });

  it('answers one action with its revision as ETag, 404 across partnerships', async () => {
    const officer = await t.token({ roles: ['officer'], agency: 'FIRE' });
    const response = await t.get(`/v1/actions/${actions.claimed}`, { token: officer });
    expect(response.status).toBe(200);
    expect(response.headers['etag']).toBe('"1"');
    expect(response.body).toMatchObject({ id: actions.claimed, status: 'claimed', claimedBy: { userId: 'u-c', name: 'Sam Patel' }, overdue: false });
    expect((await t.get(`/v1/actions/${hiddenAction}`, { token: officer })).status).toBe(404);
    expect((await t.get(`/v1/actions/${randomUUID()}`, { token: officer })).status).toBe(404);
    expect((await t.get('/v1/actions/nope', { token: officer })).status).toBe(400);
  });
});
