import { randomUUID } from 'node:crypto';
import { FixedClock } from '@tasking/shared';
import { actionAssigned, problemRaised } from '../../../../../test/support/fixtures';
import { appendAtomically } from '../../../../../test/support/events';
import { openTestApp, type TestApp } from '../../../../../test/support/test-runtime';

describe('problem queries', () => {
  let t: TestApp;
  let inspector: string;
  const clock = new FixedClock(new Date('2025-03-20T12:00:00Z'));

  beforeAll(async () => {
    t = await openTestApp({ clock });
    inspector = await t.token();
  });
  afterAll(() => t.close());

  /** Raises a problem with the given data, recorded at `recordedAt`. */
  const raise = async (data: Parameters<typeof problemRaised>[1] = {}, recordedAt = '2025-03-01T09:00:00Z') => {
    const id = randomUUID();
    const result = await t.append(`problem-${id}`, [problemRaised(id, data)], { recordedAt });
    return { id, position: result.position };
  };

  describe('GET /v1/problems', () => {
    let ids: string[];
    let hidden: string;
    beforeAll(async () => {
      ids = [];
      for (let day = 1; day <= 5; day += 1) {
        ids.push((await raise({ raisedAt: `2025-02-0${day}T10:00:00Z`, category: day % 2 ? 'fly-tipping' : 'burglary', location: { areaCode: day < 3 ? 'north-end' : 'south-end' } })).id);
      }
      hidden = (await raise({ partnership: 'elsewhere', raisedAt: '2025-02-03T11:00:00Z', location: { areaCode: 'north-end' } })).id;
      const closed = await t.append(`problem-${ids[0]}`, [{ type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'ok', closedAt: '2025-02-10T00:00:00Z' } }]);
      await t.caughtUp(closed.position);
    });

    const listed = async (query: string, token = inspector) => {
      const response = await t.get(`/v1/problems${query}`, { token });
      expect(response.status).toBe(200);
      return response.body as { items: { id: string }[]; nextCursor: string | null };
    };

    it('lists the caller partnerships, newest first, never another partnership', async () => {
      const page = await listed('?areaCode=north-end');
      expect(page.items.map((p) => p.id)).toEqual([ids[1], ids[0]]);
      expect(page.items.map((p) => p.id)).not.toContain(hidden);
      const all = await listed('?limit=500');
      expect(all.items.map((p) => p.id)).not.toContain(hidden);
      const outsider = await t.token({ partnerships: ['elsewhere'] });
      expect((await listed('', outsider)).items.map((p) => p.id)).toContain(hidden);
      expect((await listed('?partnership=elsewhere')).items).toEqual([]);
    });

    it('filters by category and status, and pages with an opaque cursor (keyset)', async () => {
      expect((await listed('?category=fly-tipping&status=open')).items.map((p) => p.id)).toEqual([ids[4], ids[2]]);
      expect((await listed('?status=closed')).items.map((p) => p.id)).toEqual([ids[0]]);
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = await listed(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...ids].reverse());
    });

    it('shows the list shape and the projection position', async () => {
      const response = await t.get('/v1/problems?limit=1', { token: inspector });
      expect(response.headers['x-projection-position']).toEqual(expect.any(String));
      expect(response.body.items[0]).toMatchObject({
        id: ids[4],
        partnership: 'default',
        category: 'fly-tipping',
        location: { areaCode: 'south-end', lat: null, lng: null, address: null },
        status: 'open',
        raisedAt: '2025-02-05T10:00:00.000Z',
        lastClosure: null,
        revision: 0,
      });
    });

    it('carries each problem\'s open and overdue action counts', async () => {
      const agree = async (problemId: string, dueBy: string) => {
        const actionId = randomUUID();
        await appendAtomically(t.runtime.store, [
          { stream: `problem-${problemId}`, events: [{ type: 'ActionAgreed', data: { actionId, agency: 'COUNCIL-ASB' } }] },
          { stream: `action-${actionId}`, events: [actionAssigned(actionId, problemId, { dueBy })] },
        ]);
        return actionId;
      };
      await agree(ids[3]!, '2025-03-10T17:00:00Z'); // overdue at the clock's 2025-03-20
      await agree(ids[3]!, '2025-04-10T17:00:00Z');
      const done = await agree(ids[3]!, '2025-03-01T17:00:00Z');
      const last = await t.append(`action-${done}`, [
        { type: 'ActionClaimed', data: { by: { userId: 'u-c', name: 'Sam Patel', agency: 'COUNCIL-ASB' } } },
        { type: 'ActionDischarged', data: { result: 'completed', note: 'done', dischargedAt: '2025-03-01T10:00:00Z' } },
      ]);
      const response = await t.get('/v1/problems?areaCode=south-end', { token: inspector, headers: { 'x-min-position': last.position } });
      const counts = Object.fromEntries(response.body.items.map((p: { id: string; openActions: number; overdueActions: number }) => [p.id, [p.openActions, p.overdueActions]]));
      expect(counts).toEqual({ [ids[2]!]: [0, 0], [ids[3]!]: [2, 1], [ids[4]!]: [0, 0] });
    });

    it('refuses bad filters with field errors', async () => {
      const response = await t.get('/v1/problems?status=maybe&category=nothing&limit=501&cursor=%%%&colour=red', { token: inspector });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const fields = response.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['status', 'category', 'limit', 'cursor', 'colour']));
      expect((await t.get('/v1/problems?cursor=abc', { token: inspector })).status).toBe(400);
    });

    it('needs a token', async () => {
      expect((await t.get('/v1/problems')).status).toBe(401);
    });
  });

  describe('GET /v1/problems/:id', () => {
    it('answers the problem with its actions and their interventions, and its revision as ETag', async () => {
      const { id } = await raise({ priority: 'high' });
      const actionId = randomUUID();
      await appendAtomically(
        t.runtime.store,
        [
          { stream: `problem-${id}`, events: [{ type: 'ActionAgreed', data: { actionId, agency: 'COUNCIL-ASB' } }] },
          { stream: `action-${actionId}`, events: [actionAssigned(actionId, id, { dueBy: '2025-03-15T17:00:00Z' })] },
        ],
        { recordedAt: '2025-03-02T10:00:00Z' },
      );
      const interventionId = randomUUID();
      const last = await t.append(
        `action-${actionId}`,
        [
          { type: 'ActionClaimed', data: { by: { userId: 'u-c', name: 'Sam Patel', agency: 'COUNCIL-ASB' } } },
          { type: 'InterventionRecorded', data: { interventionId, tactic: { category: 'prevention', name: 'CCTV' }, description: 'camera up', occurredAt: '2025-03-05T10:00:00Z' } },
        ],
        { recordedAt: '2025-03-06T10:00:00Z' },
      );
      const response = await t.get(`/v1/problems/${id}`, { token: inspector, headers: { 'x-min-position': last.position } });
      expect(response.status).toBe(200);
      expect(response.headers['etag']).toBe('"1"');
      expect(response.body).toMatchObject({
        id,
        priority: 'high',
        description: expect.any(String),
        revision: 1,
        actions: [
          {
            id: actionId,
            agency: 'COUNCIL-ASB',
            status: 'claimed',
            overdue: true,
            claimedBy: { userId: 'u-c', name: 'Sam Patel' },
            dueBy: '2025-03-15T17:00:00.000Z',
            revision: 2,
            interventions: [{ id: interventionId, tactic: { category: 'prevention', name: 'CCTV' }, description: 'camera up', occurredAt: '2025-03-05T10:00:00.000Z' }],
          },
        ],
      });

      // As it stood before the claim was recorded: the action unclaimed, no intervention, not yet overdue.
      const asAt = await t.get(`/v1/problems/${id}?asAt=2025-03-03T00:00:00Z`, { token: inspector });
      expect(asAt.status).toBe(200);
      expect(asAt.headers['etag']).toBe('"1"');
      expect(asAt.body.actions).toEqual([expect.objectContaining({ id: actionId, status: 'unclaimed', overdue: false, interventions: [], revision: 0 })]);
      // A bare date is midnight in TIME_ZONE (Europe/London: UTC in March).
      const before = await t.get(`/v1/problems/${id}?asAt=2025-03-02`, { token: inspector });
      expect(before.status).toBe(200);
      expect(before.body.actions).toEqual([]);
      expect(before.headers['etag']).toBe('"0"');
      expect((await t.get(`/v1/problems/${id}?asAt=2025-03-01`, { token: inspector })).status).toBe(404);
    });

    it('answers 404 for an unknown id and for a problem of another partnership, 400 for a bad id or asAt', async () => {
      const { id, position } = await raise({ partnership: 'elsewhere' });
      await t.caughtUp(position);
      expect((await t.get(`/v1/problems/${id}`, { token: inspector })).body.code).toBe('NOT_FOUND');
      expect((await t.get(`/v1/problems/${randomUUID()}`, { token: inspector })).status).toBe(404);
      expect((await t.get(`/v1/problems/${id}/history`, { token: inspector })).status).toBe(404);
      const outsider = await t.token({ partnerships: ['elsewhere'] });
      expect((await t.get(`/v1/problems/${id}`, { token: outsider })).status).toBe(200);
      const bad = await t.get('/v1/problems/not-a-uuid', { token: inspector });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
      expect((await t.get(`/v1/problems/${id}?asAt=yesterday`, { token: outsider })).status).toBe(400);
      expect((await t.get(`/v1/problems/${id}?asAt=2025-03-01T10:00:00`, { token: outsider })).status).toBe(400);
    });
  });

  describe('GET /v1/problems/:id/history', () => {
    it('lists the problem and action events in log order, paged', async () => {
      const { id } = await raise();
      const actionId = randomUUID();
      await appendAtomically(t.runtime.store, [
        { stream: `problem-${id}`, events: [{ type: 'ActionAgreed', data: { actionId, agency: 'FIRE' } }] },
        { stream: `action-${actionId}`, events: [actionAssigned(actionId, id, { agency: 'FIRE' })] },
      ]);
      await t.append(`action-${actionId}`, [{ type: 'ActionCancelled', data: { reason: 'not needed' } }]);
      await t.append(`problem-${id}`, [{ type: 'ProblemReviewed', data: { rag: 'green', note: 'fine' } }]);

      const first = await t.get(`/v1/problems/${id}/history?limit=3`, { token: inspector });
      expect(first.status).toBe(200);
      expect(first.body.items.map((e: { type: string }) => e.type)).toEqual(['ProblemRaised', 'ActionAgreed', 'ActionAssigned']);
      expect(first.body.items[0]).toMatchObject({
        stream: `problem-${id}`,
        revision: 0,
        recordedAt: '2025-03-01T09:00:00Z',
        actor: { userId: 'u-inspector', name: 'Insp Jane Hart', agency: 'POLICE', role: 'inspector' },
        data: { problemId: id, title: expect.any(String) },
      });
      const second = await t.get(`/v1/problems/${id}/history?limit=3&cursor=${first.body.nextCursor}`, { token: inspector });
      expect(second.body.items.map((e: { type: string }) => e.type)).toEqual(['ActionCancelled', 'ProblemReviewed']);
      expect(second.body.nextCursor).toBeNull();
      const positions = [...first.body.items, ...second.body.items].map((e: { position: string }) => e.position);
      expect([...positions].sort()).toEqual(positions);
    });
  });
});
