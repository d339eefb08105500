import { FixedClock } from '@tasking/shared';
import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';
import { assign, people, raiseProblem, referenceData, type People } from './support/story';

const escalations = async (t: JobsApp, actionId: string) =>
  (await t.runtime.store.read(`action-${actionId}`)).filter((e) => e.type === 'ActionEscalated');

describe('deadlines: delayed jobs per due date, the sweep, escalation at most once (real Redis, real PostgreSQL)', () => {
  describe('on the system clock', () => {
    let t: JobsApp;
    let p: People;

    beforeAll(async () => {
      t = await startJobsApp();
      p = await people(t);
      await referenceData(t, p);
    });
    afterAll(() => t?.close());

    it('escalates a due date already past once, as the deadlines system; a second run appends nothing', async () => {
      const problemId = await raiseProblem(t, p);
      const actionId = await assign(t, p, problemId, 'COUNCIL-ASB', '2025-03-01T09:00:00.000Z', { agreedEarlier: true });
      const [escalated] = await eventually(async () => {
        const found = await escalations(t, actionId);
        return found.length > 0 ? found : undefined;
      }, 15_000, 'the escalation');
      expect(escalated!.data).toEqual({ reason: 'overdue', dueBy: '2025-03-01T09:00:00.000Z', dueByRevision: 0 });
      expect(escalated!.metadata['actor']).toEqual({ system: 'deadlines' });
      // The job appends the event, then records itself done in `escalations` (deadline.processor.ts):
      // wait for that row, which is what "done-before" below reads.
      await eventually(async () => {
        const rows = await t.rows(`SELECT 1 FROM ${t.schema}.escalations WHERE action_id = $1 AND due_by_revision = 0`, [actionId]);
        return rows.length > 0;
      }, 10_000, 'the job\'s escalations row');

      // The same job again: recorded as done, so skipped; with the record gone, the decider says nothing to do.
      expect(await t.jobs.deadlines.escalateOnce(actionId, 0)).toBe('done-before');
      await t.rows(`DELETE FROM ${t.schema}.escalations WHERE action_id = $1`, [actionId]);
      expect(await t.jobs.deadlines.escalateOnce(actionId, 0)).toBe('already-escalated');
      expect(await t.jobs.deadlines.sweep()).toEqual({ examined: 0, escalated: 0 });
      expect(await escalations(t, actionId)).toHaveLength(1);
    });

    it('after a due date is changed before it passes, escalates only at the new date', async () => {
      const problemId = await raiseProblem(t, p);
      const first = new Date(Date.now() + 1500).toISOString();
      const actionId = await assign(t, p, problemId, 'COUNCIL-ASB', first);
      const later = new Date(Date.now() + 4000).toISOString();
      const changed = await t.request('POST', `/v1/actions/${actionId}/due-date`, { token: p.inspector, body: { dueBy: later, reason: 'more time' } });
      expect(changed.status).toBe(200);

      // Past the first date: the job for it fires and finds its due date superseded.
      await eventually(async () => {
        const rows = await t.rows<{ outcome: string }>(`SELECT outcome FROM ${t.schema}.escalations WHERE action_id = $1 AND due_by_revision = 0`, [actionId]);
        return rows[0]?.outcome === 'superseded';
      }, 10_000, 'the first job to find itself superseded');
      expect(await escalations(t, actionId)).toHaveLength(0);
      expect(Date.now()).toBeLessThan(Date.parse(later));

      const [escalated] = await eventually(async () => {
        const found = await escalations(t, actionId);
        return found.length > 0 ? found : undefined;
      }, 10_000, 'the escalation at the new date');
      expect(Date.parse(escalated!.recordedAt)).toBeGreaterThanOrEqual(Date.parse(later));
      expect(escalated!.data).toEqual({ reason: 'overdue', dueBy: later, dueByRevision: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await escalations(t, actionId)).toHaveLength(1);
    });
  });

  describe('on a clock the test moves', () => {
    let t: JobsApp;
    let p: People;
    const clock = new FixedClock(new Date('2030-01-10T09:00:00Z'));

    beforeAll(async () => {
      t = await startJobsApp({}, { clock });
      p = await people(t);
      await referenceData(t, p);
    });
    afterAll(() => t?.close());

    it('the sweep escalates what no job did (a job lost with Redis), once, and not what is not due', async () => {
      const problemId = await raiseProblem(t, p);
      const due = await assign(t, p, problemId, 'COUNCIL-ASB', '2030-01-10T12:00:00.000Z');
      const notDue = await assign(t, p, problemId, 'FIRE', '2030-01-20T12:00:00.000Z');
      const discharged = await assign(t, p, problemId, 'POLICE', '2030-01-10T11:00:00.000Z');
      const police = await t.token({ sub: 'u-police', name: 'PC Reid', agency: 'POLICE', roles: ['officer'], partnerships: ['default'] });
      expect((await t.request('POST', `/v1/actions/${discharged}/claim`, { token: police })).status).toBe(200);
      expect((await t.request('POST', `/v1/actions/${discharged}/discharge`, { token: police, body: { result: 'completed', note: 'done' } })).status).toBe(200);

      // The jobs were scheduled for days ahead of real time; pretend Redis lost them.
      await eventually(async () => (await t.jobs.queue('deadlines').getDelayedCount()) >= 3, 10_000, 'three delayed deadline jobs');
      await t.jobs.queue('deadlines').drain(true);
      const position = await t.runtime.store.headPosition();
      await t.runtime.projections.waitFor(position, 10_000);

      expect(await t.jobs.deadlines.sweep()).toEqual({ examined: 0, escalated: 0 });
      clock.advance(4 * 3600_000); // 13:00: the first is overdue
      // The sweep's candidates come from the read model, which may still hold an earlier due
      // date for a moment; the escalation itself re-reads the action, so exactly one escalates.
      const swept = await t.jobs.deadlines.sweep();
      expect(swept.escalated).toBe(1);
      expect(swept.examined).toBeGreaterThanOrEqual(1);
      expect(await t.jobs.deadlines.sweep()).toEqual({ examined: 0, escalated: 0 });
      expect(await escalations(t, due)).toHaveLength(1);
      expect(await escalations(t, notDue)).toHaveLength(0);
      expect(await escalations(t, discharged)).toHaveLength(0);
    });
  });
});
