import { randomUUID } from 'node:crypto';
import { ERASED } from '@tasking/domain';
import { appendEvents } from '../../../../test/support/events';
import { assignAction, raiseProblem } from '../../../../test/support/fixtures';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';

/**
 * The problems projection and personal data. The store under this suite is the plain one (the
 * encrypting layer is tested in apps/api); what matters here is that SubjectErased and
 * ProblemPersonalDataErased leave the same rows whether the rows they touch were written in the
 * same batch (the fold) or in earlier ones (the projector's UPDATEs), so live tables equal a
 * rebuild's.
 */
describe('problems projection: subjects and erasure', () => {
  let side: ReadSide;
  beforeAll(async () => {
    // Live batches of 2 (rows loaded back, erasures by UPDATE); rebuilds in one batch (erasures by the fold).
    side = await openReadSide({ runner: { batchSize: 2, rebuildBatchSize: 10_000 } });
  });
  afterAll(() => side.close());

  const rowsOf = async (table: string, problemId: string) =>
    (await side.rows(table)).filter((row) => row['problem_id'] === problemId || (table === 'problems' && row['id'] === problemId));

  const snapshot = async () =>
    Object.fromEntries(await Promise.all(['problems', 'actions', 'interventions', 'problem_subjects'].map(async (t) => [t, await side.rows(t)] as const)));

  it('records the raising agency and the subjects, and nulls an erased subject\'s fields', async () => {
    const { problemId } = await raiseProblem(side.store);
    const victim = randomUUID();
    const witness = randomUUID();
    const stream = `problem-${problemId}`;
    await appendEvents(side.store, stream, [
      { type: 'SubjectAdded', data: { subjectId: victim, role: 'victim', name: 'Alex Morgan', dateOfBirth: '1990-04-01', address: '12 Church St', notes: 'targeted', addedAt: '2025-03-02T09:00:00Z' } },
      { type: 'SubjectAdded', data: { subjectId: witness, role: 'witness', name: 'Bo Ward', addedAt: '2025-03-02T09:05:00Z' } },
    ]);
    await appendEvents(side.store, stream, [{ type: 'ProblemReviewed', data: { rag: 'amber', note: 'n' } }]);
    const { position } = await appendEvents(side.store, stream, [{ type: 'SubjectErased', data: { subjectId: victim, reason: 'request', erasedAt: '2025-03-05T10:00:00Z' } }]);
    await side.caughtUp(position);

    expect((await rowsOf('problems', problemId))[0]).toMatchObject({ raised_by_agency: 'POLICE', personal_data_erased_at: null, revision: 4 });
    const subjects = await rowsOf('problem_subjects', problemId);
    expect(subjects.find((s) => s['id'] === victim)).toEqual({
      id: victim,
      problem_id: problemId,
      partnership: 'default',
      role: 'victim',
      name: null,
      date_of_birth: null,
      address: null,
      notes: null,
      added_at: '2025-03-02T09:00:00+00:00',
      erased: true,
      erased_at: '2025-03-05T10:00:00+00:00',
      revision: 4,
      position,
    });
    expect(subjects.find((s) => s['id'] === witness)).toMatchObject({ role: 'witness', name: 'Bo Ward', erased: false, date_of_birth: null });
  });

  it('erases free text and subjects at retention, keeps statistics, and equals a rebuild', async () => {
    const { problemId } = await raiseProblem(side.store, { location: { areaCode: 'enfield-town', lat: 51.6, lng: -0.08, address: '1 Fore Street' } });
    const stream = `problem-${problemId}`;
    await appendEvents(side.store, stream, [
      { type: 'ProblemAnalysed', data: { victim: 'Alex Morgan', hypotheses: ['one', 'two'] } },
      { type: 'SubjectAdded', data: { subjectId: randomUUID(), role: 'perpetrator', name: 'Carl Dee', addedAt: '2025-03-02T09:00:00Z' } },
    ]);
    const { actionId: declined } = await assignAction(side.store, problemId, { agency: 'FIRE', description: 'Fire visit to Alex Morgan' });
    await appendEvents(side.store, `action-${declined}`, [
      { type: 'ActionDeclined', data: { reasonCode: 'not-our-remit', note: 'not ours' } },
      { type: 'ActionCancelled', data: { reason: 'not needed' } },
    ]);
    const { actionId: done } = await assignAction(side.store, problemId, { agency: 'COUNCIL-ASB' });
    await appendEvents(side.store, `action-${done}`, [
      { type: 'ActionClaimed', data: { by: { userId: 'u-c', name: 'Sam Patel', agency: 'COUNCIL-ASB' } } },
      { type: 'InterventionRecorded', data: { interventionId: randomUUID(), tactic: { category: 'prevention', name: 'CCTV' }, description: 'Spoke to Alex Morgan', occurredAt: '2025-03-03T10:00:00Z' } },
      { type: 'ActionDischarged', data: { result: 'completed', note: 'Alex Morgan content', dischargedAt: '2025-03-04T10:00:00Z' } },
    ]);
    await appendEvents(side.store, stream, [
      { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'Alex Morgan feels safer', closedAt: '2025-03-09T12:00:00Z' } },
    ]);
    const { problemId: untouched } = await raiseProblem(side.store, { description: 'kept' });
    await appendEvents(side.store, stream, [
      { type: 'ProblemPersonalDataErased', data: { reason: 'retention', closedAt: '2025-03-09T12:00:00Z', retentionYears: 6, erasedAt: '2031-03-10T00:00:00Z' } },
      { type: 'ProblemReopened', data: { reason: 'It came back' } },
    ]);
    const after = randomUUID();
    const { result } = await assignAction(side.store, problemId, { agency: 'POLICE', description: 'New patrols' });
    const last = await appendEvents(side.store, stream, [{ type: 'SubjectAdded', data: { subjectId: after, role: 'victim', name: 'Dana Eve', addedAt: '2031-04-01T00:00:00Z' } }]);
    await side.caughtUp(last.position > result.position ? last.position : result.position);

    const [problem] = await rowsOf('problems', problemId);
    expect(problem).toMatchObject({
      title: ERASED,
      description: ERASED,
      address: ERASED,
      lat: 51.6,
      area_code: 'enfield-town',
      category: 'asb-youth',
      assessment: ERASED,
      outcome: 'reduced',
      closures: 1,
      reopenings: 1,
      status: 'open',
      analysis: { victim: ERASED, offender: null, location: null, hypotheses: [ERASED, ERASED] },
      personal_data_erased_at: null, // reopened: a new retention period begins with the next closure
    });
    const actions = await rowsOf('actions', problemId);
    expect(actions.find((a) => a['id'] === declined)).toMatchObject({ description: ERASED, decline_note: ERASED, cancel_reason: ERASED, status: 'cancelled', agency: 'FIRE' });
    expect(actions.find((a) => a['id'] === done)).toMatchObject({ description: ERASED, discharge_note: ERASED, result: 'completed', tactic_name: 'CCTV', claimed_by_name: 'Sam Patel' });
    expect(actions.find((a) => a['description'] === 'New patrols')).toBeDefined();
    expect((await rowsOf('interventions', problemId)).map((i) => i['description'])).toEqual([ERASED]);
    const subjects = await rowsOf('problem_subjects', problemId);
    expect(subjects.find((s) => s['role'] === 'perpetrator')).toMatchObject({ name: null, erased: true, erased_at: '2031-03-10T00:00:00+00:00' });
    expect(subjects.find((s) => s['id'] === after)).toMatchObject({ name: 'Dana Eve', erased: false });
    expect((await rowsOf('problems', untouched))[0]).toMatchObject({ description: 'kept' });
    expect(JSON.stringify(await snapshot())).not.toMatch(/Alex Morgan|Carl Dee|Fore Street|Fire visit/);

    const live = await snapshot();
    await side.runner.rebuild('problems');
    expect(await snapshot()).toEqual(live);
  });
});
