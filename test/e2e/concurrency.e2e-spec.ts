import { WrongExpectedRevisionError, type RecordedEvent } from '@tasking/event-store';
import { startCommandApp, type Answer, type CommandApp } from './support/command-app';
import { actionBody, assignAction, claimAndDischarge, people, problemBody, raiseProblem, registerReferenceData, type People } from './support/fixtures';

describe('commands over HTTP: optimistic concurrency, idempotency and the assign/close race', () => {
  let t: CommandApp;
  let p: People;

  beforeAll(async () => {
    t = await startCommandApp();
    p = await people(t);
    await registerReferenceData(t, p);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every event in the log (the suite's schema holds only this suite's). */
  /**
   * Every committed event, through the store (decrypted). Readers see only commits older than
   * every transaction open anywhere on the server, so wait until they show as many events as the
   * table holds: another suite's open transaction must not make a count come up short.
   */
  async function allEvents(): Promise<RecordedEvent[]> {
    const { rows } = await t.runtime.db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    const committed = Number(rows[0]!.n);
    for (let waited = 0; ; waited += 50) {
      const events: RecordedEvent[] = [];
      for (let batch = await t.runtime.store.readAll('', 1000); batch.length > 0; batch = await t.runtime.store.readAll(batch[batch.length - 1]!.position, 1000)) {
        events.push(...batch);
      }
      if (events.length >= committed || waited >= 10_000) return events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  describe('If-Match', () => {
    it('answers 409 WRONG_EXPECTED_REVISION to a stale revision, appending nothing, and runs with the current one', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const amended = await t.post(`/v1/problems/${problemId}/amend`, { token: p.inspector, body: { title: 'First edit' }, headers: { 'if-match': '"0"' } });
      expect(amended).toMatchObject({ status: 200, body: { revision: 1 } });

      const stale = await t.post(`/v1/problems/${problemId}/amend`, { token: p.inspector, body: { title: 'Lost update' }, headers: { 'if-match': '"0"' } });
      expect(stale).toMatchObject({ status: 409, body: { code: 'WRONG_EXPECTED_REVISION', detail: expect.stringContaining('revision 1') } });
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised', 'ProblemAmended']);

      // Quotes are optional; a weak tag is read the same way.
      const fresh = await t.post(`/v1/problems/${problemId}/prioritise`, { token: p.inspector, body: { priority: 'low', rationale: 'x' }, headers: { 'if-match': '1' } });
      expect(fresh).toMatchObject({ status: 200, body: { id: problemId, revision: 2 } });
      const weak = await t.post(`/v1/problems/${problemId}/prioritise`, { token: p.inspector, body: { priority: 'high', rationale: 'y' }, headers: { 'if-match': 'W/"2"' } });
      expect(weak).toMatchObject({ status: 200, body: { revision: 3 } });

      const malformed = await t.post(`/v1/problems/${problemId}/amend`, { token: p.inspector, body: { title: 'x' }, headers: { 'if-match': 'yesterday' } });
      expect(malformed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'If-Match' }] } });
    });

    it('checks the aggregate in the path: an assignment\'s If-Match is the problem\'s revision, its answer the new action\'s', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const stale = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('FIRE'), headers: { 'if-match': '"5"' } });
      expect(stale).toMatchObject({ status: 409, body: { code: 'WRONG_EXPECTED_REVISION' } });
      const fresh = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('FIRE'), headers: { 'if-match': '"0"' } });
      expect(fresh).toMatchObject({ status: 201, body: { revision: 0 } });
      expect(fresh.body.id).not.toBe(problemId);
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised', 'ActionAgreed']);
      const claimed = await t.post(`/v1/actions/${fresh.body.id}/claim`, { token: p.fire, headers: { 'if-match': '"0"' } });
      expect(claimed).toMatchObject({ status: 200, body: { revision: 1 } });
    });

    it('without If-Match, retries conflicts: concurrent commands on one stream all succeed', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      expect((await t.post(`/v1/actions/${actionId}/claim`, { token: p.council })).status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          t.post(`/v1/actions/${actionId}/interventions`, {
            token: i % 2 ? p.council : p.council2,
            body: { tactic: { category: 'engagement', name: 'door-knocking' }, description: `Round ${i}`, occurredAt: '2025-03-02T10:00:00Z' },
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.revision))).toEqual(new Set([2, 3, 4, 5]));
      expect(await t.types(`action-${actionId}`)).toEqual(['ActionAssigned', 'ActionClaimed', ...Array(4).fill('InterventionRecorded')]);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the same key and body with the first response and appends nothing', async () => {
      const headers = { 'idempotency-key': 'raise-1' };
      const first = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Idempotent' }), headers });
      const again = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Idempotent' }), headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await t.types(`problem-${first.body.id}`)).toEqual(['ProblemRaised']);
      expect((await allEvents()).filter((e) => e.type === 'ProblemRaised' && e.data['title'] === 'Idempotent')).toHaveLength(1);

      // Key order in the body does not matter (canonical JSON), nor does a repeat after a later change.
      const { title, ...rest } = problemBody({ title: 'Idempotent' });
      expect((await t.post(`/v1/problems/${first.body.id}/amend`, { token: p.inspector, body: { description: 'Later change' } })).status).toBe(200);
      const reordered = await t.post('/v1/problems', { token: p.inspector, body: { ...rest, title }, headers });
      expect(reordered).toMatchObject({ status: 201, body: first.body });
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body', async () => {
      const headers = { 'idempotency-key': 'raise-2' };
      const first = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Original' }), headers });
      expect(first.status).toBe(201);
      const reused = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Different' }), headers });
      expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect((await allEvents()).filter((e) => e.type === 'ProblemRaised' && e.data['title'] === 'Different')).toHaveLength(0);
    });

    it('scopes keys to the caller and the path', async () => {
      const headers = { 'idempotency-key': 'shared-key' };
      const mine = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-04-01', chair: 'A' }, headers });
      const colleague = await t.token({ sub: 'u-insp-2', name: 'Insp Two', agency: 'POLICE', roles: ['inspector'], partnerships: ['north'] });
      const theirs = await t.post('/v1/meetings', { token: colleague, body: { groupCode: 'enfield-safe', heldOn: '2025-04-01', chair: 'A' }, headers });
      const elsewhere = await t.post('/v1/problems', { token: p.inspector, body: problemBody(), headers });
      expect([mine.status, theirs.status, elsewhere.status]).toEqual([201, 201, 201]);
      expect(new Set([mine.body.id, theirs.body.id, elsewhere.body.id]).size).toBe(3);
    });

    it('answers ten concurrent requests with the same key with one append and ten identical responses', async () => {
      const before = (await allEvents()).length;
      const headers = { 'idempotency-key': 'concurrent-raise' };
      const raises = await Promise.all(Array.from({ length: 10 }, () => t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Concurrent' }), headers })));
      expect(raises.map((a) => a.status)).toEqual(Array(10).fill(201));
      expect(new Set(raises.map((a) => JSON.stringify(a.body))).size).toBe(1);
      const problemId: string = raises[0]!.body.id;
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised']);
      expect((await allEvents()).length).toBe(before + 1);

      // A multi-stream command: one ActionAgreed, one ActionAssigned.
      const assignHeaders = { 'idempotency-key': 'concurrent-assign' };
      const assigns = await Promise.all(
        Array.from({ length: 10 }, () => t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('COUNCIL-ASB'), headers: assignHeaders })),
      );
      expect(assigns.map((a) => a.status)).toEqual(Array(10).fill(201));
      expect(new Set(assigns.map((a) => JSON.stringify(a.body))).size).toBe(1);
      const actionId: string = assigns[0]!.body.id;
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised', 'ActionAgreed']);
      expect(await t.types(`action-${actionId}`)).toEqual(['ActionAssigned']);

      // A state change whose repeat would be refused (ACTION_ALREADY_CLAIMED) if it were decided again.
      const claims = await Promise.all(
        Array.from({ length: 10 }, () => t.post(`/v1/actions/${actionId}/claim`, { token: p.council, headers: { 'idempotency-key': 'concurrent-claim' } })),
      );
      expect(claims.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(new Set(claims.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(claims[0]!.body).toMatchObject({ id: actionId, revision: 1 });
      expect(await t.types(`action-${actionId}`)).toEqual(['ActionAssigned', 'ActionClaimed']);
      expect((await allEvents()).length).toBe(before + 4);
    });

    it('with the same key sent concurrently with two bodies, appends one of them and refuses the other body', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const before = (await allEvents()).length;
      const headers = { 'idempotency-key': 'concurrent-mixed' };
      const answers: Answer[] = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.post(`/v1/problems/${problemId}/reviews`, { token: p.inspector, body: { rag: i % 2 ? 'red' : 'green', note: 'Concurrent review' }, headers }),
        ),
      );
      const ok = answers.filter((a) => a.status === 201);
      const reused = answers.filter((a) => a.status === 422);
      expect(ok.length + reused.length).toBe(10);
      expect(reused.every((a) => a.body.code === 'IDEMPOTENCY_KEY_REUSED')).toBe(true);
      expect(new Set(ok.map((a) => JSON.stringify(a.body))).size).toBe(1);
      const events = await t.events(`problem-${problemId}`);
      expect(events.map((e) => e.type)).toEqual(['ProblemRaised', 'ProblemReviewed']);
      const winner = events[1]!.data['rag'];
      answers.forEach((answer, i) => expect(answer.status).toBe((i % 2 ? 'red' : 'green') === winner ? 201 : 422));
      expect((await allEvents()).length).toBe(before + 1);
    });

    it('names the same intervention in a replayed answer', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
      expect((await t.post(`/v1/actions/${actionId}/claim`, { token: p.council })).status).toBe(200);
      const call = {
        token: p.council,
        body: { tactic: { category: 'environmental', name: 'clean-up' }, description: 'Cleared the alley', occurredAt: '2025-03-03T09:00:00Z' },
        headers: { 'idempotency-key': 'intervention-1' },
      };
      const first = await t.post(`/v1/actions/${actionId}/interventions`, call);
      const again = await t.post(`/v1/actions/${actionId}/interventions`, call);
      expect(first.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const events = await t.events(`action-${actionId}`);
      expect(events.filter((e) => e.type === 'InterventionRecorded').map((e) => e.data['interventionId'])).toEqual([first.body.interventionId]);
    });
  });

  describe('assign and close racing on one problem', () => {
    const ROUNDS = 50;

    it(`never leaves an open action on a closed problem (${ROUNDS} rounds)`, async () => {
      const outcomes = { assignWon: 0, closeWon: 0 };
      // Count the appends refused for a stale revision: the proof that the two commands really raced.
      const append = t.runtime.store.append.bind(t.runtime.store);
      let conflicts = 0;
      const spy = jest.spyOn(t.runtime.store, 'append').mockImplementation(async (requests) => {
        try {
          return await append(requests);
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) conflicts += 1;
          throw error;
        }
      });
      for (let round = 0; round < ROUNDS; round += 1) {
        // A fresh problem whose actions are all discharged (odd rounds) or which has none (even rounds).
        const problemId = await raiseProblem(t, p.inspector, { title: `Race ${round}` });
        if (round % 2 === 1) {
          const done = await assignAction(t, p.inspector, problemId, 'FIRE');
          await claimAndDischarge(t, p.fire, done);
        }
        const [assign, close] = await Promise.all([
          t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('COUNCIL-ASB', { description: `Race ${round}` }) }),
          t.post(`/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: `Race ${round}` } }),
        ]);
        const statuses = [assign.status, close.status];
        // Exactly one wins; the loser is refused by the rule the winner made true.
        expect([[201, 409], [409, 200]]).toContainEqual(statuses);
        if (assign.status === 201) {
          expect(close.body.code).toBe('ACTIONS_OUTSTANDING');
          outcomes.assignWon += 1;
        } else {
          expect(assign.body.code).toBe('PROBLEM_CLOSED');
          outcomes.closeWon += 1;
        }

        // The streams agree: a closure (without override) is never followed by an agreement, and
        // every action agreed before it is discharged or cancelled.
        const events = await t.events(`problem-${problemId}`);
        const closedAt = events.findIndex((e) => e.type === 'ProblemClosed');
        if (closedAt >= 0) {
          expect(events[closedAt]!.data['override']).toBeUndefined();
          expect(events.slice(closedAt + 1).some((e) => e.type === 'ActionAgreed')).toBe(false);
          for (const agreed of events.filter((e) => e.type === 'ActionAgreed')) {
            const actionTypes = await t.types(`action-${String(agreed.data['actionId'])}`);
            expect(['ActionDischarged', 'ActionCancelled']).toContain(actionTypes[actionTypes.length - 1]);
          }
        }
      }
      spy.mockRestore();
      expect(outcomes.assignWon + outcomes.closeWon).toBe(ROUNDS);
      expect(conflicts).toBeGreaterThan(0);
    }, 120_000);
  });
});
