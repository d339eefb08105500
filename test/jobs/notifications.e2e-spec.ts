import { createHmac } from 'node:crypto';
import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';
import { startReceiver } from './support/receiver';
import { assign, people, raiseProblem, referenceData, WEBHOOK_SECRET, type People } from './support/story';

const FAR = '2031-01-31T17:00:00.000Z';

describe('notifications: signed webhooks to agencies (real Redis, real PostgreSQL)', () => {
  describe('with private targets allowed (a receiver on loopback)', () => {
    let t: JobsApp;
    let p: People;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      receiver = await startReceiver(WEBHOOK_SECRET, { failFirst: 2 });
      // Retries after 600 ms and 1200 ms: the third attempt is signed at least a second after the first.
      t = await startJobsApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ATTEMPTS: '4', WEBHOOK_RETRY_BASE_MS: '600' });
      p = await people(t);
      await referenceData(t, p, { 'COUNCIL-ASB': receiver.url(), FIRE: receiver.url('localhost', '/fire') });
    });

    afterAll(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('acknowledges exactly one signed delivery per assignment, after two failures, each attempt signed afresh', async () => {
      const problemId = await raiseProblem(t, p);
      const actions = [await assign(t, p, problemId, 'COUNCIL-ASB', FAR), await assign(t, p, problemId, 'COUNCIL-ASB', FAR)];
      const assigned = await Promise.all(actions.map(async (id) => (await t.runtime.store.read(`action-${id}`))[0]!));

      const deliveries = await eventually(async () => {
        const rows = await t.rows<{ event_id: string; agency: string; attempts: number; transport: string; status_code: number }>(
          `SELECT event_id, agency, attempts, transport, status_code FROM ${t.schema}.webhook_deliveries ORDER BY event_id`,
        );
        return rows.length >= 2 ? rows : undefined;
      }, 20_000, 'two acknowledged deliveries');
      expect(deliveries.map((d) => d.event_id).sort()).toEqual(assigned.map((e) => e.eventId).sort());
      expect(deliveries.every((d) => d.agency === 'COUNCIL-ASB' && d.attempts === 3 && d.transport === 'webhook' && d.status_code === 200)).toBe(true);

      for (const event of assigned) {
        const tries = receiver.receipts.filter((r) => r.eventId === event.eventId);
        expect(tries.map((r) => r.answered)).toEqual([500, 500, 200]);
        expect(tries.every((r) => r.validSignature)).toBe(true);
        // Fresh: each signature is over its own timestamp; the third attempt is signed later than the first.
        for (const r of tries) {
          expect(r.signature).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${r.timestamp}.${r.body}`).digest('hex')}`);
          expect(Math.abs(r.timestamp - Date.now() / 1000)).toBeLessThan(300);
        }
        expect(tries[2]!.timestamp).toBeGreaterThan(tries[0]!.timestamp);
        expect(tries[2]!.signature).not.toBe(tries[0]!.signature);

        const body = JSON.parse(tries[2]!.body);
        expect(body).toEqual({
          id: event.eventId,
          type: 'ActionAssigned',
          recordedAt: event.recordedAt,
          action: { id: event.data['actionId'], problemId, agency: 'COUNCIL-ASB', tactic: { category: 'prevention', name: 'CCTV' }, dueBy: FAR, status: 'unclaimed' },
          problem: { id: problemId, title: 'Youth disorder at Church Street parade', category: 'asb-youth', areaCode: 'enfield-town' },
        });
        // No personal data: no descriptions, notes, addresses or names.
        expect(tries[2]!.body).not.toMatch(/Smith|Church Street parade after|shutters|Jane Hart|address/);
      }
      // Nothing more arrives: the acknowledged deliveries are not sent again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.acknowledged().filter((r) => assigned.some((e) => e.eventId === r.eventId))).toHaveLength(2);
    });

    it('tells the new agency of a reassignment (log transport for an agency without a webhook)', async () => {
      const problemId = await raiseProblem(t, p, { title: 'Fly-tipping behind the parade', category: 'fly-tipping' });
      const actionId = await assign(t, p, problemId, 'POLICE', FAR);
      const reassigned = await t.request('POST', `/v1/actions/${actionId}/reassign`, { token: p.inspector, body: { agency: 'FIRE', reason: 'fire lead' } });
      expect(reassigned.status).toBe(200);
      const events = await t.runtime.store.read(`action-${actionId}`);
      const [assignedEvent, reassignedEvent] = events;
      const rows = await eventually(async () => {
        const found = await t.rows<{ event_id: string; agency: string; transport: string }>(
          `SELECT event_id, agency, transport FROM ${t.schema}.webhook_deliveries WHERE event_id = ANY($1::uuid[]) ORDER BY transport`,
          [[assignedEvent!.eventId, reassignedEvent!.eventId]],
        );
        return found.length === 2 ? found : undefined;
      }, 20_000, 'the assignment logged and the reassignment delivered');
      expect(rows).toEqual([
        { event_id: assignedEvent!.eventId, agency: 'POLICE', transport: 'log' },
        { event_id: reassignedEvent!.eventId, agency: 'FIRE', transport: 'webhook' },
      ]);
      const fire = receiver.acknowledged().find((r) => r.eventId === reassignedEvent!.eventId)!;
      expect(JSON.parse(fire.body)).toMatchObject({ type: 'ActionReassigned', action: { id: actionId, agency: 'FIRE', reassignedFrom: 'POLICE', status: 'unclaimed' } });
      expect(t.logs.some((line) => line.includes('log transport') && line.includes(assignedEvent!.eventId))).toBe(true);
    });
  });

  describe('with private targets refused (the default)', () => {
    let t: JobsApp;
    let p: People;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      receiver = await startReceiver(WEBHOOK_SECRET);
      t = await startJobsApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ATTEMPTS: '3' });
      p = await people(t);
      // COUNCIL-ASB: a loopback address; FIRE: a name that resolves to loopback.
      await referenceData(t, p, { 'COUNCIL-ASB': receiver.url('127.0.0.1'), FIRE: receiver.url('localhost') });
    });

    afterAll(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('refuses a loopback webhook, by address and by a name that resolves to it, and dead-letters it visibly', async () => {
      const problemId = await raiseProblem(t, p);
      const council = await assign(t, p, problemId, 'COUNCIL-ASB', FAR);
      const fire = await assign(t, p, problemId, 'FIRE', FAR);
      const ids = await Promise.all([council, fire].map(async (id) => (await t.runtime.store.read(`action-${id}`))[0]!.eventId));
      const letters = await eventually(async () => {
        const answer = await t.request('GET', '/v1/admin/webhooks/dead-letters', { token: p.admin });
        return answer.body?.items?.length === 2 ? (answer.body.items as { eventId: string; agency: string; reason: string; attempts: number }[]) : undefined;
      }, 15_000, 'two dead letters');
      expect(letters.map((l) => l.eventId).sort()).toEqual([...ids].sort());
      for (const letter of letters) {
        expect(letter.reason).toMatch(/refused/);
        expect(letter.attempts).toBe(1); // a refused target is not retried
      }
      expect(letters.find((l) => l.agency === 'FIRE')!.reason).toMatch(/localhost/);
      expect(receiver.receipts).toHaveLength(0);
      expect(await t.rows(`SELECT * FROM ${t.schema}.webhook_deliveries`)).toHaveLength(0);
      // Only admins see them.
      expect((await t.request('GET', '/v1/admin/webhooks/dead-letters', { token: p.inspector })).status).toBe(403);
    });
  });

  describe('per partnership: an agency serving two partnerships', () => {
    const NORTH_SECRET = 'north-webhook-secret-of-at-least-32-characters';
    let t: JobsApp;
    let p: People;
    let defaultReceiver: Awaited<ReturnType<typeof startReceiver>>;
    let northReceiver: Awaited<ReturnType<typeof startReceiver>>;
    let northAdmin: string;
    let northInspector: string;

    beforeAll(async () => {
      defaultReceiver = await startReceiver(WEBHOOK_SECRET);
      northReceiver = await startReceiver(NORTH_SECRET);
      t = await startJobsApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ATTEMPTS: '1', PARTNERSHIPS: 'default,north' });
      p = await people(t);
      // The default partnership's admin registers the agencies, COUNCIL-ASB with its webhook; FIRE's answers nothing.
      await referenceData(t, p, { 'COUNCIL-ASB': defaultReceiver.url(), FIRE: 'http://127.0.0.1:1/hooks' });
      northAdmin = await t.token({ sub: 'u-admin-north', name: 'Nia Admin', agency: 'POLICE', roles: ['admin'], partnerships: ['north'] });
      northInspector = await t.token({ sub: 'u-insp-north', name: 'Insp Nell North', agency: 'POLICE', roles: ['inspector'], partnerships: ['north'] });
      const area = await t.request('PUT', '/v1/areas/north-town', { token: northAdmin, body: { name: 'North Town', centroid: { lat: 52.1, lng: -0.1 } } });
      expect(area.status).toBe(200);
    });

    afterAll(async () => {
      await t?.close();
      await defaultReceiver?.close();
      await northReceiver?.close();
    });

    const deliveredTo = (receiver: typeof defaultReceiver, eventId: string) => receiver.receipts.filter((r) => r.eventId === eventId);
    const firstEventOf = async (actionId: string) => (await t.runtime.store.read(`action-${actionId}`))[0]!.eventId;

    it("sends each event to the webhook of its own partnership, signed with that webhook's secret, never another's", async () => {
      // Another partnership's admin cannot set (or overwrite) the default partnership's webhook, and must name a partnership it holds.
      const foreign = await t.request('PUT', '/v1/agencies/COUNCIL-ASB/webhook', {
        token: northAdmin,
        body: { webhookUrl: northReceiver.url('127.0.0.1', '/stolen'), webhookSecret: NORTH_SECRET, partnership: 'default' },
      });
      expect(foreign).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      const bothAdmin = await t.token({ sub: 'u-admin-both', name: 'Bo Admin', agency: 'POLICE', roles: ['admin'], partnerships: ['default', 'north'] });
      const unnamed = await t.request('PUT', '/v1/agencies/COUNCIL-ASB/webhook', { token: bothAdmin, body: { webhookUrl: northReceiver.url(), webhookSecret: NORTH_SECRET } });
      expect(unnamed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'partnership' }] } });
      // The north admin sets north's webhook of the shared agency: its only partnership, by default.
      const set = await t.request('PUT', '/v1/agencies/COUNCIL-ASB/webhook', { token: northAdmin, body: { webhookUrl: northReceiver.url(), webhookSecret: NORTH_SECRET } });
      expect(set.status).toBe(200);
      expect((await t.runtime.store.read('agency-COUNCIL-ASB')).map((e) => e.data)).toContainEqual({ url: northReceiver.url(), partnership: 'north' });

      const defaultProblem = await raiseProblem(t, p);
      const defaultEvent = await firstEventOf(await assign(t, p, defaultProblem, 'COUNCIL-ASB', FAR));
      const northProblem = await t.request('POST', '/v1/problems', {
        token: northInspector,
        body: { title: 'Graffiti on the north underpass', description: 'Tags renewed weekly', category: 'criminal-damage', location: { areaCode: 'north-town' } },
      });
      expect(northProblem.status).toBe(201);
      const northAction = await t.request('POST', `/v1/problems/${northProblem.body.id}/actions`, {
        token: northInspector,
        body: { agency: 'COUNCIL-ASB', description: 'Clean it', tactic: { category: 'environmental', name: 'graffiti removal' }, dueBy: FAR },
      });
      expect(northAction.status).toBe(201);
      const northEvent = await firstEventOf(northAction.body.id);

      await eventually(async () => (deliveredTo(defaultReceiver, defaultEvent).length > 0 && deliveredTo(northReceiver, northEvent).length > 0 ? true : undefined), 20_000, 'both deliveries');
      expect(deliveredTo(defaultReceiver, defaultEvent).map((r) => [r.answered, r.validSignature])).toEqual([[200, true]]);
      expect(deliveredTo(northReceiver, northEvent).map((r) => [r.answered, r.validSignature])).toEqual([[200, true]]);
      expect(JSON.parse(deliveredTo(northReceiver, northEvent)[0]!.body).problem.title).toBe('Graffiti on the north underpass');
      // Neither partnership's problem titles reach the other's webhook.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(deliveredTo(northReceiver, defaultEvent)).toEqual([]);
      expect(deliveredTo(defaultReceiver, northEvent)).toEqual([]);
      expect(northReceiver.receipts.map((r) => r.body).join()).not.toContain('Church Street');
    });

    it('lists dead letters to the admins of their partnership only', async () => {
      const problemId = await raiseProblem(t, p, { title: 'Fly-tipping by the garages', category: 'fly-tipping' });
      const eventId = await firstEventOf(await assign(t, p, problemId, 'FIRE', FAR));
      const letters = await eventually(async () => {
        const answer = await t.request('GET', '/v1/admin/webhooks/dead-letters', { token: p.admin });
        const items = (answer.body?.items ?? []) as { eventId: string; partnership: string }[];
        return items.some((l) => l.eventId === eventId) ? items : undefined;
      }, 15_000, 'a dead letter');
      expect(letters.find((l) => l.eventId === eventId)).toMatchObject({ agency: 'FIRE', partnership: 'default', url: 'http://127.0.0.1:1/hooks' });
      const asNorth = await t.request('GET', '/v1/admin/webhooks/dead-letters', { token: northAdmin });
      expect(asNorth).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
    });

    it('lets an agency be deactivated only by an admin of every partnership it serves', async () => {
      // COUNCIL-ASB serves both partnerships (actions in both, a webhook in each).
      const byNorth = await t.request('POST', '/v1/agencies/COUNCIL-ASB/deactivate', { token: northAdmin, body: { reason: 'merged' } });
      expect(byNorth).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
      const byDefault = await t.request('POST', '/v1/agencies/COUNCIL-ASB/deactivate', { token: p.admin, body: { reason: 'merged' } });
      expect(byDefault).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
      expect((await t.runtime.store.read('agency-COUNCIL-ASB')).map((e) => e.type)).not.toContain('AgencyDeactivated');
      const bothAdmin = await t.token({ sub: 'u-admin-both', name: 'Bo Admin', agency: 'POLICE', roles: ['admin'], partnerships: ['default', 'north'] });
      expect((await t.request('POST', '/v1/agencies/COUNCIL-ASB/deactivate', { token: bothAdmin, body: { reason: 'merged' } })).status).toBe(200);
      // An agency only the default partnership uses: its admin alone may.
      expect((await t.request('POST', '/v1/agencies/FIRE/deactivate', { token: northAdmin, body: { reason: 'merged' } })).status).toBe(403);
      expect((await t.request('POST', '/v1/agencies/FIRE/deactivate', { token: p.admin, body: { reason: 'merged' } })).status).toBe(200);
    });
  });
});
