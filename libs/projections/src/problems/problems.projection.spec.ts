import { randomUUID } from 'node:crypto';
import { appendEvents } from '../../../../test/support/events';
import { assignAction, raiseProblem } from '../../../../test/support/fixtures';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';

describe('problems projection', () => {
  let side: ReadSide;
  // Batches of 2 make most histories span several batches (rows loaded back from the table).
  beforeAll(async () => {
    side = await openReadSide({ runner: { batchSize: 2 } });
  });
  afterAll(() => side.close());

  const problem = async (id: string) => (await side.rows('problems')).find((row) => row.id === id)!;
  const action = async (id: string) => (await side.rows('actions')).find((row) => row.id === id)!;

  it('keeps a problem raised, prioritised, analysed and amended', async () => {
    const { problemId } = await raiseProblem(side.store, { priority: 'low', location: { areaCode: 'edmonton-green', address: '1 Fore Street' }, raisedAt: '2025-03-01T10:00:00+01:00' });
    const { position } = await appendEvents(side.store, `problem-${problemId}`, [
      { type: 'ProblemPrioritised', data: { priority: 'high', harmScore: 70, rationale: 'repeat victims' } },
      { type: 'ProblemAnalysed', data: { victim: 'shop staff', hypotheses: ['no guardians'] } },
      { type: 'ProblemAmended', data: { title: 'Disorder at Fore Street', location: { areaCode: 'edmonton-green', lat: 51.62, lng: -0.06 } } },
      { type: 'ProblemReviewed', data: { rag: 'amber', note: 'progressing' } },
    ]);
    await side.caughtUp(position);
    expect(await problem(problemId)).toMatchObject({
      title: 'Disorder at Fore Street',
      area_code: 'edmonton-green',
      lat: 51.62,
      lng: -0.06,
      address: null,
      priority: 'high',
      harm_score: 70,
      status: 'open',
      last_rag: 'amber',
      raised_at: '2025-03-01T09:00:00+00:00',
      analysis: { victim: 'shop staff', offender: null, location: null, hypotheses: ['no guardians'] },
      revision: 4,
      position,
    });
  });

  it('counts a reopened problem closed again twice and keeps the latest closure', async () => {
    const { problemId } = await raiseProblem(side.store);
    const stream = `problem-${problemId}`;
    await appendEvents(side.store, stream, [{ type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'better', closedAt: '2025-04-01T12:00:00Z' } }]);
    await appendEvents(side.store, stream, [{ type: 'ProblemReopened', data: { reason: 'it came back' } }]);
    const reopened = await appendEvents(side.store, stream, [{ type: 'ProblemReviewed', data: { rag: 'red', note: 'worse' } }]);
    await side.caughtUp(reopened.position);
    expect(await problem(problemId)).toMatchObject({ status: 'open', closures: 1, reopenings: 1 });
    const { position } = await appendEvents(side.store, stream, [
      { type: 'ProblemClosed', data: { outcome: 'eliminated', displacement: 'spatial', assessment: 'gone', closedAt: '2025-06-01T12:00:00Z' } },
    ]);
    await side.caughtUp(position);
    expect(await problem(problemId)).toMatchObject({
      status: 'closed',
      closures: 2,
      reopenings: 1,
      outcome: 'eliminated',
      displacement: 'spatial',
      assessment: 'gone',
      closed_at: '2025-06-01T12:00:00+00:00',
      last_rag: 'red',
      revision: 4,
    });
  });

  it('clears the decline and the claim when a declined action is reassigned, and follows the new agency', async () => {
    const { problemId } = await raiseProblem(side.store);
    const { actionId } = await assignAction(side.store, problemId, { agency: 'COUNCIL-ASB' });
    const stream = `action-${actionId}`;
    const declined = await appendEvents(side.store, stream, [{ type: 'ActionDeclined', data: { reasonCode: 'not-our-remit', note: 'police matter' } }]);
    await side.caughtUp(declined.position);
    expect(await action(actionId)).toMatchObject({ status: 'declined', agency: 'COUNCIL-ASB', decline_reason_code: 'not-our-remit', decline_note: 'police matter' });

    await appendEvents(side.store, stream, [{ type: 'ActionReassigned', data: { fromAgency: 'COUNCIL-ASB', toAgency: 'POLICE', reason: 'police lead' } }]);
    const claimed = await appendEvents(side.store, stream, [{ type: 'ActionClaimed', data: { by: { userId: 'u-pc', name: 'PC Reid', agency: 'POLICE' } } }]);
    await side.caughtUp(claimed.position);
    expect(await action(actionId)).toMatchObject({
      status: 'claimed',
      agency: 'POLICE',
      decline_reason_code: null,
      decline_note: null,
      claimed_by_user_id: 'u-pc',
      claimed_by_name: 'PC Reid',
      reassignments: 1,
      revision: 3,
    });
    const released = await appendEvents(side.store, stream, [{ type: 'ActionReleased', data: { reason: 'on leave' } }]);
    await side.caughtUp(released.position);
    expect(await action(actionId)).toMatchObject({ status: 'unclaimed', claimed_by_user_id: null });
  });

  it('follows a due date changed after an escalation, keeping the escalation count', async () => {
    const { problemId } = await raiseProblem(side.store);
    const { actionId } = await assignAction(side.store, problemId, { dueBy: '2025-03-15' });
    const { position } = await appendEvents(side.store, `action-${actionId}`, [
      { type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-15', dueByRevision: 0 } },
      { type: 'ActionDueDateChanged', data: { dueBy: '2025-04-30T17:00:00+01:00', reason: 'awaiting contractor' } },
    ]);
    await side.caughtUp(position);
    expect(await action(actionId)).toMatchObject({
      status: 'unclaimed',
      due_by: '2025-04-30T16:00:00+00:00',
      due_by_revision: 2,
      escalations: 1,
      escalated_due_by_revision: 0,
    });
  });

  it('records interventions under the action and the problem, and discharge or cancellation ends the action', async () => {
    const { problemId } = await raiseProblem(side.store);
    const { actionId } = await assignAction(side.store, problemId, { agency: 'FIRE', meetingId: randomUUID() });
    const cancelledAction = await assignAction(side.store, problemId, { agency: 'POLICE' });
    const interventionId = randomUUID();
    await appendEvents(side.store, `action-${actionId}`, [
      { type: 'ActionClaimed', data: { by: { userId: 'u-f', name: 'Lee Burns', agency: 'FIRE' } } },
      { type: 'InterventionRecorded', data: { interventionId, tactic: { category: 'prevention', name: 'target hardening' }, description: 'fitted locks', occurredAt: '2025-03-04T15:00:00Z' } },
      { type: 'ActionDischarged', data: { result: 'completed', note: 'all fitted', dischargedAt: '2025-03-05T09:00:00Z' } },
    ]);
    const { position } = await appendEvents(side.store, `action-${cancelledAction.actionId}`, [{ type: 'ActionCancelled', data: { reason: 'duplicate' } }]);
    await side.caughtUp(position);
    expect(await action(actionId)).toMatchObject({ status: 'discharged', result: 'completed', discharge_note: 'all fitted', discharged_at: '2025-03-05T09:00:00+00:00', interventions: 1, claimed_by_name: 'Lee Burns' });
    expect(await action(cancelledAction.actionId)).toMatchObject({ status: 'cancelled', cancel_reason: 'duplicate' });
    expect((await side.rows('interventions')).filter((row) => row.action_id === actionId)).toEqual([
      {
        id: interventionId,
        action_id: actionId,
        problem_id: problemId,
        partnership: 'default',
        agency: 'FIRE',
        tactic_category: 'prevention',
        tactic_name: 'target hardening',
        description: 'fitted locks',
        occurred_at: '2025-03-04T15:00:00+00:00',
        revision: 2,
        position: expect.any(String),
      },
    ]);
  });

  it('keeps each partnership on its rows', async () => {
    const { problemId, result } = await raiseProblem(side.store, { partnership: 'elsewhere' });
    await side.caughtUp(result.position);
    expect(await problem(problemId)).toMatchObject({ partnership: 'elsewhere' });
  });
});
