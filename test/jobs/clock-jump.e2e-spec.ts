import { ClockGuard, FixedClock } from '@tasking/shared';
import { Metrics } from '../../apps/api/src/ops/metrics';
import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';
import { assign, expectStatus, people, raiseProblem, referenceData, type People } from './support/story';

const YEAR = 365.25 * 86_400_000;
const HOUR = 3_600_000;

/**
 * A wall clock the test jumps, a monotonic clock that only moves when time passes, and the guard
 * the runtime checks them with (docs/security.md, "Times and clocks"). Real PostgreSQL and Redis.
 */
describe('a wall-clock jump holds the retention sweep and the deadline jobs back (injected clock)', () => {
  let t: JobsApp;
  let p: People;
  const clock = new FixedClock(new Date('2030-01-10T09:00:00Z'));
  let monotonic = 0;
  const guard = new ClockGuard(clock, { toleranceMs: 60_000, monotonic: () => monotonic });
  /** Time passes: both clocks move. */
  const pass = (ms: number) => {
    clock.advance(ms);
    monotonic += ms;
  };

  beforeAll(async () => {
    t = await startJobsApp({}, { clock, clockGuard: guard });
    p = await people(t);
    await referenceData(t, p);
  });
  afterAll(() => t?.close());

  const escalations = async (actionId: string) => (await t.runtime.store.read(`action-${actionId}`)).filter((e) => e.type === 'ActionEscalated');
  const clockHealth = async () => (await t.request('GET', '/health/ready')).body.details?.clock;
  const heldGauge = async () => (await t.app.get(Metrics).registry.getSingleMetricAsString('clock_jump_held')).trim().split('\n').pop();

  it('forward 7 years: neither escalates nor erases, alerts (log, metric, readiness degraded), and resumes once the clock is right', async () => {
    const problemId = await raiseProblem(t, p);
    const actionId = await assign(t, p, problemId, 'COUNCIL-ASB', '2030-01-10T12:00:00.000Z');
    const closedId = await raiseProblem(t, p, { title: 'Closed a minute ago' });
    expectStatus(await t.request('POST', `/v1/problems/${closedId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: 'Better' } }), 200, 'close');
    // The delayed jobs were scheduled on real time; the test drives the sweeps itself.
    await eventually(async () => (await t.jobs.queue('deadlines').getDelayedCount()) >= 1, 10_000, 'the delayed deadline job');
    await t.jobs.queue('deadlines').drain(true);
    // The sweep reads the actions read model: let it hold the action first.
    await eventually(async () => (await t.rows(`SELECT 1 FROM ${t.schema}.actions WHERE id = $1`, [actionId])).length === 1, 15_000, 'the action in the read model');

    pass(60_000);
    expect(await t.jobs.deadlines.sweep()).toEqual({ examined: 0, escalated: 0 });
    expect(await clockHealth()).toEqual({ status: 'up', degraded: false });

    clock.advance(7 * YEAR); // the wall clock alone
    pass(70_000);
    const held = await t.jobs.deadlines.sweep();
    expect(held).toEqual({ examined: 0, escalated: 0, held: expect.stringMatching(/^the wall clock jumped forward/) });
    expect(await t.jobs.deadlines.escalateOnce(actionId, 0)).toBe('held');
    expect((await t.runtime.personalData.retention.sweep()).held).toMatch(/^the wall clock jumped forward/);
    expect(await escalations(actionId)).toEqual([]);
    expect(await t.runtime.store.read(`problem-${closedId}`)).toEqual([expect.objectContaining({ type: 'ProblemRaised', data: expect.objectContaining({ title: 'Closed a minute ago' }) }), expect.objectContaining({ type: 'ProblemClosed' })]);
    expect(await t.rows(`SELECT 1 FROM ${t.schema}.data_keys WHERE problem_id = $1 AND erased_at IS NOT NULL`, [closedId])).toEqual([]);
    expect(await t.rows(`SELECT 1 FROM ${t.schema}.escalations WHERE action_id = $1`, [actionId])).toEqual([]);
    expect(t.logs.filter((line) => line.startsWith('error deadline sweep held: the wall clock jumped forward'))).toHaveLength(1);
    expect(await clockHealth()).toEqual({ status: 'up', degraded: true, reason: expect.stringMatching(/^the wall clock jumped forward/) });
    expect(await heldGauge()).toBe('clock_jump_held 1');

    clock.advance(-7 * YEAR); // corrected
    pass(4 * HOUR); // 13:0x: the action is now overdue by the right clock
    await eventually(async () => (await t.jobs.deadlines.sweep()).escalated === 1, 10_000, 'the sweep to escalate');
    expect(await escalations(actionId)).toHaveLength(1);
    expect(await clockHealth()).toEqual({ status: 'up', degraded: false });
    expect(await heldGauge()).toBe('clock_jump_held 0');
    expect((await t.runtime.personalData.retention.sweep()).erased).toEqual([]);
  });

  it('back 3 hours: a write to an existing stream is refused with 503 CLOCK_BEHIND and appends nothing; history never runs backwards', async () => {
    const problemId = await raiseProblem(t, p);
    const before = await t.runtime.store.read(`problem-${problemId}`);
    pass(60_000);
    clock.advance(-3 * HOUR);
    const refused = await t.request('POST', `/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: 'Better' } });
    expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '5' }, body: { code: 'CLOCK_BEHIND' } });
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await t.runtime.store.read(`problem-${problemId}`)).toEqual(before);
    expect((await t.jobs.deadlines.sweep()).held).toMatch(/^the wall clock jumped back 3\.0 hours/);

    clock.advance(3 * HOUR);
    expectStatus(await t.request('POST', `/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: 'Better' } }), 200, 'close');
    const events = await t.runtime.store.read(`problem-${problemId}`);
    const times = events.map((e) => Date.parse(e.metadata['recordedAt'] as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Date.parse(events[1]!.data['closedAt'] as string)).toBeGreaterThanOrEqual(Date.parse(events[0]!.data['raisedAt'] as string));
  });

  it('a clock a few seconds behind the stream (a concurrent command, another instance) records at the last event\'s time', async () => {
    const problemId = await raiseProblem(t, p);
    clock.advance(-5_000);
    expectStatus(await t.request('POST', `/v1/problems/${problemId}/reviews`, { token: p.inspector, body: { rag: 'amber', note: 'n' } }), 201, 'review');
    const [raised, reviewed] = await t.runtime.store.read(`problem-${problemId}`);
    expect(reviewed!.metadata['recordedAt']).toBe(raised!.metadata['recordedAt']);
    clock.advance(5_000);
  });
});

describe('the runtime\'s guard compares the wall clock with the database server\'s (real PostgreSQL)', () => {
  it('holds jobs when the process clock reads 7 years ahead of the database server, from the first check', async () => {
    const ahead = { now: () => new Date(Date.now() + 7 * YEAR) };
    const t = await startJobsApp({}, { clock: ahead, runJobs: false });
    try {
      const guard = new ClockGuard(ahead, {
        toleranceMs: 60_000,
        databaseNow: async () => (await t.rows<{ now: Date }>('SELECT clock_timestamp() AS now'))[0]!.now,
      });
      expect(await guard.check()).toEqual({ ok: false, reason: expect.stringMatching(/forward 2556\.\d days from the database server's/) });
      const inStep = new ClockGuard({ now: () => new Date() }, { toleranceMs: 60_000, databaseNow: async () => (await t.rows<{ now: Date }>('SELECT clock_timestamp() AS now'))[0]!.now });
      expect(await inStep.check()).toEqual({ ok: true });
    } finally {
      await t.close();
    }
  });
});
