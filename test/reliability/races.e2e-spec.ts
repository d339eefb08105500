import { WrongExpectedRevisionError, type RecordedEvent } from '@tasking/event-store';
import { startCommandApp, NORTH, type CommandApp } from '../e2e/support/command-app';
import { assignAction, people, raiseProblem, registerReferenceData, type People } from '../e2e/support/fixtures';
import { listen, type HttpAnswer, type Listening } from './support/listen';
import { eventCount } from './support/log';

/**
 * Races over real HTTP (a loopback socket per request, PostgreSQL underneath): many officers
 * acting on one action at the same moment. Covered elsewhere, not repeated here:
 * - ten concurrent requests with one Idempotency-Key append once and answer identically
 *   (raise, multi-stream assign, claim): test/e2e/concurrency.e2e-spec.ts, "Idempotency-Key";
 * - assign racing close on one problem, 50 rounds, never both:
 *   test/e2e/concurrency.e2e-spec.ts, "assign and close racing on one problem".
 */
describe('races: one action, many officers at once (real HTTP)', () => {
  const OFFICERS = 50;
  let t: CommandApp;
  let p: People;
  let http: Listening;
  let officers: string[];

  beforeAll(async () => {
    t = await startCommandApp({ RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0' });
    p = await people(t);
    await registerReferenceData(t, p);
    officers = await Promise.all(
      Array.from({ length: OFFICERS }, (_, i) =>
        t.token({ sub: `u-council-${i}`, name: `Officer ${i}`, agency: 'COUNCIL-ASB', roles: ['officer'], partnerships: [NORTH] }),
      ),
    );
    http = await listen(t.app);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const count = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type).length;
  const statuses = (answers: HttpAnswer[]) => answers.map((a) => a.status).sort();

  /**
   * Fires every request at once and counts the appends refused for a stale revision meanwhile:
   * the proof that the requests really overlapped in the store, not one after another.
   */
  async function together(requests: (() => Promise<HttpAnswer>)[]): Promise<HttpAnswer[] & { conflicts: number }> {
    const store = t.runtime.store;
    const append = store.append.bind(store);
    let conflicts = 0;
    const spy = jest.spyOn(store, 'append').mockImplementation(async (appends) => {
      try {
        return await append(appends);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) conflicts += 1;
        throw error;
      }
    });
    try {
      const answers = await Promise.all(requests.map((send) => send()));
      return Object.assign(answers, { conflicts });
    } finally {
      spy.mockRestore();
    }
  }

  /**
   * Runs a round until one has shown a real overlap (an append refused for a stale revision), up
   * to five: on a loaded machine a round can happen to run one request after another. Every round
   * must hold the invariants.
   */
  async function raceUntilOverlap(round: () => Promise<number>): Promise<{ rounds: number; conflicts: number }> {
    for (let rounds = 1; ; rounds += 1) {
      const conflicts = await round();
      if (conflicts > 0 || rounds === 5) return { rounds, conflicts };
    }
  }

  it(`${OFFICERS} officers of one agency claim one action: one 200, ${OFFICERS - 1} x 409 ACTION_ALREADY_CLAIMED, one ActionClaimed`, async () => {
    const { conflicts } = await raceUntilOverlap(async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      const before = await eventCount(t.runtime.db);

      const answers = await together(officers.map((token) => () => http.post(`/v1/actions/${actionId}/claim`, { token })));

      expect(statuses(answers)).toEqual([200, ...Array(OFFICERS - 1).fill(409)]);
      const winner = answers.find((a) => a.status === 200)!;
      expect(winner.body).toMatchObject({ id: actionId, revision: 1 });
      for (const loser of answers.filter((a) => a.status === 409)) {
        expect(loser.body).toMatchObject({ status: 409, code: 'ACTION_ALREADY_CLAIMED' });
      }
      const events = await t.events(`action-${actionId}`);
      expect(events.map((e) => e.type)).toEqual(['ActionAssigned', 'ActionClaimed']);
      // The claimant recorded is the one who got the 200.
      const winnerIndex = answers.indexOf(winner);
      expect(events[1]!.data).toMatchObject({ by: { userId: `u-council-${winnerIndex}`, agency: 'COUNCIL-ASB' } });
      // Nothing else anywhere in the log: one event more than before the race.
      expect(await eventCount(t.runtime.db)).toBe(before + 1);
      return answers.conflicts;
    });
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);

  it(`${OFFICERS} officers discharge one claimed action: one 200, ${OFFICERS - 1} x 409 ACTION_CLOSED, one ActionDischarged`, async () => {
    const { conflicts } = await raceUntilOverlap(async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      expect((await http.post(`/v1/actions/${actionId}/claim`, { token: officers[0] })).status).toBe(200);
      const before = await eventCount(t.runtime.db);

      const answers = await together(
        officers.map((token, i) => () => http.post(`/v1/actions/${actionId}/discharge`, { token, body: { result: 'completed', note: `Done by officer ${i}` } })),
      );

      expect(statuses(answers)).toEqual([200, ...Array(OFFICERS - 1).fill(409)]);
      for (const loser of answers.filter((a) => a.status === 409)) {
        expect(loser.body).toMatchObject({ status: 409, code: 'ACTION_CLOSED' });
      }
      const events = await t.events(`action-${actionId}`);
      expect(count(events, 'ActionDischarged')).toBe(1);
      expect(events.map((e) => e.type)).toEqual(['ActionAssigned', 'ActionClaimed', 'ActionDischarged']);
      const winnerIndex = answers.findIndex((a) => a.status === 200);
      expect(events[2]!.data).toMatchObject({ note: `Done by officer ${winnerIndex}` });
      expect(await eventCount(t.runtime.db)).toBe(before + 1);
      return answers.conflicts;
    });
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);

  it('claims racing declines on one action: exactly one of them wins, the rest are refused by the state it made', async () => {
    for (let round = 0; round < 5; round += 1) {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      const answers = await together(
        officers.slice(0, 20).map((token, i) =>
          i % 2 === 0
            ? () => http.post(`/v1/actions/${actionId}/claim`, { token })
            : () => http.post(`/v1/actions/${actionId}/decline`, { token, body: { reasonCode: 'no-capacity', note: `round ${round}` } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      const refusals = answers.filter((a) => a.status !== 200);
      expect(refusals.every((a) => a.status === 409 && ['ACTION_ALREADY_CLAIMED', 'ACTION_ALREADY_DECLINED'].includes(a.body.code))).toBe(true);
      const events = await t.events(`action-${actionId}`);
      expect(events).toHaveLength(2);
      expect(['ActionClaimed', 'ActionDeclined']).toContain(events[1]!.type);
    }
  }, 60_000);

  it('the claimant releasing while colleagues discharge: release and discharge never both take effect', async () => {
    for (let round = 0; round < 5; round += 1) {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      expect((await http.post(`/v1/actions/${actionId}/claim`, { token: officers[0] })).status).toBe(200);
      const answers = await together([
        () => http.post(`/v1/actions/${actionId}/release`, { token: officers[0], body: { reason: 'handing over' } }),
        ...officers.slice(1, 10).map((token) => () => http.post(`/v1/actions/${actionId}/discharge`, { token, body: { result: 'completed', note: 'done' } })),
      ]);
      const events = await t.events(`action-${actionId}`);
      const types = events.map((e) => e.type);
      // One state change after the claim: released (then every discharge finds it unclaimed) or discharged.
      expect(types).toHaveLength(3);
      expect([['ActionAssigned', 'ActionClaimed', 'ActionReleased'], ['ActionAssigned', 'ActionClaimed', 'ActionDischarged']]).toContainEqual(types);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    }
  }, 60_000);
});
