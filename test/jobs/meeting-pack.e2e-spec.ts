import IORedis from 'ioredis';
import { Worker } from 'bullmq';
import { StoryClock } from '../support/story-clock';
import { eventually, SHARED_REDIS_URL, startJobsApp, type JobsApp } from './support/jobs-app';
import { assign, expectStatus, people, raiseProblem, referenceData, type People } from './support/story';

/** Everything Redis holds under the app's queues (job data, results, failure reasons, stacks), as text. */
async function redisContents(t: JobsApp): Promise<string> {
  const redis = new IORedis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const parts: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${t.jobs.keyPrefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') parts.push(String(await redis.get(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

/** What the seed writes that is personal data (titles, descriptions, notes, names, addresses). */
const PERSONAL = ['Smith', 'Youth disorder', 'Drug litter', 'Graffiti on the underpass', 'Old noise problem', 'Church Street', 'shutters', 'happier', 'shops after 9pm'];

const DAY = 86_400_000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

/** A group's history around two meetings; returns the ids the pack should name. */
async function seed(t: JobsApp, p: People, clock: StoryClock) {
  expectStatus(await t.request('PUT', '/v1/areas/tottenham', { token: p.admin, body: { name: 'Tottenham', centroid: { lat: 51.59, lng: -0.07 } } }), 200, 'area');
  const meeting = async (heldOn: string) => {
    const scheduled = await t.request('POST', '/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn, chair: 'Insp Jane Hart' } });
    expectStatus(scheduled, 201, 'meeting');
    return scheduled.body.id as string;
  };
  const previous = await meeting(at(-10));
  // Held: the window runs from it. (A meeting scheduled but not held would not start it.)
  expectStatus(await t.request('POST', `/v1/meetings/${previous}/close`, { token: p.inspector, body: { minutesNote: '' } }), 200, 'close meeting');
  const current = await meeting(at(1));
  const officer = async (agency: string) => t.token({ sub: `u-${agency}`, name: `Officer ${agency}`, agency, roles: ['officer'], partnerships: ['default'] });
  /** Claimed just before `day`, discharged at it (recorded just after). */
  const discharge = async (actionId: string, agency: string, day: number) => {
    const token = await officer(agency);
    clock.hold(at(day - 0.01));
    expectStatus(await t.request('POST', `/v1/actions/${actionId}/claim`, { token }), 200, 'claim');
    clock.hold(at(day + 0.01));
    expectStatus(await t.request('POST', `/v1/actions/${actionId}/discharge`, { token, body: { result: 'completed', note: 'Spoke to Mr Smith', dischargedAt: at(day) } }), 200, 'discharge');
  };
  const close = async (problemId: string, closedAt: string, outcome: string) =>
    expectStatus(await t.request('POST', `/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome, assessment: 'Mr Smith is happier', closedAt } }), 200, 'close');

  // Recorded in the order it happened, each step just after its own date (the clock held there).
  clock.hold(at(-40 + 0.01));
  const p1 = await raiseProblem(t, p, { raisedAt: at(-40) });
  expectStatus(await t.request('POST', `/v1/problems/${p1}/prioritise`, { token: p.inspector, body: { priority: 'high', harmScore: 50, rationale: 'repeat calls' } }), 200, 'prioritise');
  expectStatus(await t.request('POST', `/v1/problems/${p1}/reviews`, { token: p.inspector, body: { rag: 'red', note: 'not working' } }), 201, 'review');
  // People named on the problem reach the pack as a count per role, never by name.
  for (const subject of [{ role: 'victim', name: 'Mr Smith', address: '4 Church Street' }, { role: 'witness', name: 'Ms Smith' }, { role: 'victim', name: 'Erased Smith' }]) {
    const added = await t.request('POST', `/v1/problems/${p1}/subjects`, { token: p.inspector, body: subject });
    expectStatus(added, 201, 'subject');
    if (subject.name === 'Erased Smith') {
      expectStatus(await t.request('POST', `/v1/problems/${p1}/subjects/${added.body.subjectId}/erase`, { token: p.inspector, body: { reason: 'request' } }), 200, 'erase');
    }
  }
  const p2 = await raiseProblem(t, p, { title: 'Drug litter in Edmonton Green', category: 'drugs', location: { areaCode: 'edmonton' }, raisedAt: at(-40) });
  expectStatus(await t.request('POST', `/v1/problems/${p2}/reviews`, { token: p.inspector, body: { rag: 'amber', note: 'partly' } }), 201, 'review');
  const p3 = await raiseProblem(t, p, { title: 'Graffiti on the underpass', category: 'graffiti', raisedAt: at(-40) });
  const p4 = await raiseProblem(t, p, { title: 'Old noise problem', category: 'noise', raisedAt: at(-40) });

  clock.hold(at(-39));
  const overdue = await assign(t, p, p1, 'COUNCIL-ASB', at(-2));
  await assign(t, p, p1, 'FIRE', at(10)); // not due by the meeting
  const dueByMeeting = await assign(t, p, p1, 'POLICE', at(1.5));
  const dischargedSince = await assign(t, p, p2, 'COUNCIL-ASB', at(5));
  const dischargedBefore = await assign(t, p, p2, 'FIRE', at(5));

  clock.hold(at(-30 + 0.01));
  await close(p4, at(-30), 'eliminated');
  await discharge(dischargedBefore, 'FIRE', -20);
  clock.hold(at(-3 + 0.01));
  await close(p3, at(-3), 'reduced');
  await discharge(dischargedSince, 'COUNCIL-ASB', -2);
  clock.hold(undefined);
  // Outside the group: another area, no group code.
  await raiseProblem(t, p, { title: 'Elsewhere', location: { areaCode: 'tottenham' }, groupCode: undefined });

  // The last event committed, read past the visibility horizon (headPosition stops below any
  // transaction open on the server, e.g. another suite's): the projections reach it once that ends.
  const [last] = await t.rows<{ position: string }>(
    `SELECT lpad(transaction_id::text, 20, '0') || '-' || lpad(sequence::text, 20, '0') AS position FROM ${t.schema}.events ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
  );
  expect(await t.runtime.projections.waitFor(last!.position, 30_000)).toBe(true);
  return { previous, current, p1, p2, p3, overdue, dueByMeeting, dischargedSince };
}

function expectPack(pack: any, ids: Awaited<ReturnType<typeof seed>>) {
  expect(pack.meeting).toMatchObject({ id: ids.current, groupCode: 'enfield-safe', groupName: 'Enfield SAFE' });
  expect(pack.previousMeeting.id).toBe(ids.previous);
  expect(pack.totals).toEqual({ openProblems: 2, actionsDue: 2, actionsOverdue: 1, discharged: 1, problemsClosed: 1 });
  expect(pack.hotspots.map((h: any) => [h.areaCode, h.openProblems, h.rag])).toEqual([
    ['enfield-town', 1, { red: 1, amber: 0, green: 0, none: 0 }],
    ['edmonton', 1, { red: 0, amber: 1, green: 0, none: 0 }],
  ]);
  expect(pack.hotspots[0].score).toBe(5); // high (3) x (1 + 50/100) + 0.5 per overdue action
  expect(pack.hotspots[0].problems[0].subjects).toEqual({ victim: 1, perpetrator: 0, witness: 1, other: 0 });
  expect(pack.hotspots[1].problems[0].subjects).toEqual({ victim: 0, perpetrator: 0, witness: 0, other: 0 });
  expect(pack.actionsDue.map((a: any) => [a.agency, a.due, a.overdue, a.actions.map((x: any) => x.id)])).toEqual([
    ['COUNCIL-ASB', 1, 1, [ids.overdue]],
    ['POLICE', 1, 0, [ids.dueByMeeting]],
  ]);
  expect(pack.discharged).toMatchObject({ total: 1, byResult: { completed: 1 }, byAgency: [{ agency: 'COUNCIL-ASB', discharged: 1, onTime: 1 }] });
  expect(pack.discharged.actions[0].id).toBe(ids.dischargedSince);
  expect(pack.problemsClosed).toMatchObject({ total: 1, byOutcome: { reduced: 1 } });
  expect(pack.problemsClosed.problems[0]).toMatchObject({ id: ids.p3, outcome: 'reduced' });
  const text = JSON.stringify(pack);
  for (const personal of ['Smith', 'Jane Hart', 'Officer', '4 Church Street', 'shops after 9pm']) expect(text).not.toContain(personal);
}

describe('the tasking-meeting pack', () => {
  describe('built by the reports queue', () => {
    let t: JobsApp;
    let p: People;
    let ids: Awaited<ReturnType<typeof seed>>;
    const clock = new StoryClock();

    beforeAll(async () => {
      t = await startJobsApp({}, { clock });
      expect(await t.jobs.whenStarted()).toBe('running');
      p = await people(t);
      await referenceData(t, p);
      ids = await seed(t, p, clock);
    }, 60_000);
    afterAll(() => t?.close());

    it('counts open problems by hotspot with RAG, actions due per agency, discharges and closures since the previous meeting', async () => {
      const answer = await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: p.manager });
      expect(answer.status).toBe(200);
      expectPack(answer.body, ids);
      const stored = await t.rows<{ meeting_id: string }>(`SELECT meeting_id FROM ${t.schema}.meeting_packs`);
      expect(stored.map((r) => r.meeting_id)).toEqual([ids.current]);
    });

    it('serves the stored pack as HTML, and as JSON again without rebuilding it', async () => {
      const html = await t.request('GET', `/v1/meetings/${ids.current}/pack?format=html`, { token: p.council });
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.text).toContain('<h2>Open problems by hotspot</h2>');
      expect(html.text).toContain('Youth disorder at Church Street parade');
      expect(html.text).not.toContain('Smith');
      expect(html.text).toContain('<td>victim 1, witness 1</td>');
      const again = await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: p.inspector });
      const [row] = await t.rows<{ generated_at: Date }>(`SELECT generated_at FROM ${t.schema}.meeting_packs`);
      expect(again.body.generatedAt).toBe(row!.generated_at.toISOString());
    });

    it('keeps nothing personal in Redis: job data and results of every queue hold ids, codes and dates only', async () => {
      expect((await t.request('GET', `/v1/meetings/${ids.current}/pack?refresh=true`, { token: p.manager })).status).toBe(200);
      expect((await t.request('POST', '/v1/admin/projections/problems/rebuild', { token: p.admin })).status).toBe(202);
      // Notifications (log transport), the overdue action's deadline, packs and the rebuild all ran.
      await eventually(async () => {
        const counts = await t.jobs.counts();
        const of = (kind: string) => counts[t.jobs.queueName(kind as never)]!;
        const idle = Object.values(counts).every((c) => (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['prioritized'] ?? 0) === 0);
        return idle && ['notifications', 'deadlines', 'reports', 'projection-rebuild'].every((kind) => (of(kind)['completed'] ?? 0) > 0);
      }, 30_000, 'a completed job in every queue');
      const contents = await redisContents(t);
      expect(contents).toContain(ids.current); // the pack's job is there, by reference
      for (const personal of PERSONAL) expect([personal, contents.includes(personal)]).toEqual([personal, false]);
    });

    it('answers 404 for an unknown meeting and for a meeting of a partnership the caller does not hold', async () => {
      expect((await t.request('GET', `/v1/meetings/00000000-0000-4000-8000-000000000000/pack`, { token: p.manager })).status).toBe(404);
      const stranger = await t.token({ sub: 'u-x', name: 'X', agency: 'POLICE', roles: ['manager'], partnerships: ['other'] });
      expect([403, 404]).toContain((await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: stranger })).status);
    });
  });

  describe('built in the API process when Redis is away', () => {
    let t: JobsApp;
    let p: People;
    let ids: Awaited<ReturnType<typeof seed>>;
    const clock = new StoryClock();

    beforeAll(async () => {
      t = await startJobsApp({ REDIS_URL: 'redis://127.0.0.1:1' }, { clock });
      p = await people(t);
      await referenceData(t, p);
      ids = await seed(t, p, clock);
    }, 60_000);
    afterAll(() => t?.close());

    it('gives the same counts', async () => {
      const answer = await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: p.manager });
      expect(answer.status).toBe(200);
      expectPack(answer.body, ids);
    });
  });

  describe('whose job fails', () => {
    let t: JobsApp;
    let p: People;
    let ids: Awaited<ReturnType<typeof seed>>;
    const clock = new StoryClock();

    beforeAll(async () => {
      // The queues are another process's (WORKER_MODE=separate): the test plays that worker.
      t = await startJobsApp({ WORKER_MODE: 'separate' }, { runJobs: false, runProjections: true, clock });
      p = await people(t);
      await referenceData(t, p);
      ids = await seed(t, p, clock);
    }, 60_000);
    afterAll(() => t?.close());

    it('answers 503 PACK_FAILED, not "pending" for ever, and the next request retries the failed job', async () => {
      const reports = { connection: { url: SHARED_REDIS_URL }, prefix: t.jobs.keyPrefix };
      const broken = new Worker(t.jobs.queueName('reports'), async () => {
        throw new Error('this worker serves another deployment');
      }, reports);
      let failed: { status: number; headers: Record<string, unknown>; body: any };
      try {
        failed = await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: p.manager });
      } finally {
        await broken.close();
      }
      expect(failed.status).toBe(503);
      expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(failed.headers['retry-after']).toBeDefined();
      expect(failed.body.code).toBe('PACK_FAILED');
      const job = (await t.jobs.queue('reports').getFailed())[0]!;
      expect(job.failedReason).toBe('this worker serves another deployment');
      expect(job.stacktrace).toEqual([]);

      const working = new Worker(t.jobs.queueName('reports'), async (j) => {
        const stored = await t.jobs.generatePack(j.data.meetingId);
        return { meetingId: stored.meetingId, position: stored.position, generatedAt: stored.generatedAt };
      }, reports);
      try {
        const answer = await t.request('GET', `/v1/meetings/${ids.current}/pack`, { token: p.manager });
        expect(answer.status).toBe(200);
        expectPack(answer.body, ids);
      } finally {
        await working.close();
      }
    }, 60_000);
  });

  describe('of two deployments alike but for their database, sharing a Redis and a QUEUE_PREFIX', () => {
    it('each uses queues of its own, named by its database, and says so at start', async () => {
      const clock = new StoryClock();
      const a = await startJobsApp({ WORKER_MODE: 'separate' }, { runJobs: false, runProjections: true, clock });
      let b: JobsApp | undefined;
      try {
        // The embedded store, with the same schema name and prefix: only the database differs.
        b = await startJobsApp({ DATABASE_URL: '' }, { schema: a.schema, prefix: a.prefix });
        expect(await b.jobs.whenStarted()).toBe('running');
        expect(a.jobs.queueName('reports')).toBe(b.jobs.queueName('reports'));
        expect(a.jobs.keyPrefix).not.toBe(b.jobs.keyPrefix);
        for (const app of [a, b]) {
          expect(app.logs).toContain(
            `info jobs use Redis at redis://127.0.0.1:6379, namespace ${app.jobs.namespace} (queues ${['notifications', 'deadlines', 'projection-rebuild', 'reports', 'imports'].map((k) => `${app.prefix}-${app.schema}-${k}`).join(', ')})`,
          );
        }

        const pa = await people(a);
        await referenceData(a, pa);
        const ids = await seed(a, pa, clock);
        // A's pack waits for A's workers (none run): B's never see it, so never take it and fail it.
        const pending = await a.request('GET', `/v1/meetings/${ids.current}/pack`, { token: pa.manager });
        expect(pending.status).toBe(202);
        expect(await a.jobs.queue('reports').getJobCounts('waiting')).toEqual({ waiting: 1 });
        const seen = await b.jobs.queue('reports').getJobCounts('waiting', 'active', 'completed', 'failed');
        expect(seen).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
      } finally {
        await a.close();
        await b?.close();
      }
    }, 120_000);
  });
});
