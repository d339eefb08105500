import type { RecordedEvent } from '@tasking/event-store';
import { eventually, startJobsApp, type JobsApp } from '../jobs/support/jobs-app';
import { startReceiver } from '../jobs/support/receiver';
import { startOwnRedis } from '../jobs/support/redis-server';
import { people, raiseProblem, referenceData, WEBHOOK_SECRET, type People } from '../jobs/support/story';

/**
 * Redis outage in the middle of a burst (quality.md, Reliability). test/jobs/redis-outage.e2e-spec.ts
 * (the jobs suite) stops the test's own AOF Redis between sequential batches of assignments and
 * shows each notification delivered once; here Redis is stopped while concurrent assignments are
 * still arriving, and every action's due date falls just after the outage, so three things cross
 * it: notifications of assignments, delayed deadline jobs, and the notifications of the
 * escalations those deadlines append. After the restart: every notification acknowledged by the
 * receiver exactly once, every due date escalated exactly once.
 */
describe('Redis stopped during a burst of assignments whose due dates fall just after', () => {
  const ACTIONS = 60;
  const CLIENTS = 6;
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let t: JobsApp;
  let p: People;

  beforeAll(async () => {
    redis = await startOwnRedis();
    // The receiver fails each event's first delivery: every notification is retried before it is acknowledged.
    receiver = await startReceiver(WEBHOOK_SECRET, { failFirst: 1 });
    t = await startJobsApp(
      { REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ATTEMPTS: '30', WEBHOOK_RETRY_BASE_MS: '100' },
      { sweepEveryMs: 2000 },
    );
    p = await people(t);
    await referenceData(t, p, { 'COUNCIL-ASB': receiver.url() });
    expect(await t.jobs.whenStarted()).toBe('running');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await redis?.close();
  });

  it(`acknowledges each notification once and escalates each due date once (${ACTIONS}+ assignments)`, async () => {
    // One problem per client: assignments to one problem serialise on its stream.
    const problems = await Promise.all(Array.from({ length: CLIENTS }, () => raiseProblem(t, p)));
    const dueBy = new Date(Date.now() + 9_000).toISOString();
    const actions: string[] = [];
    let stopped = false;
    let stoppedAfter = -1;
    let redisState: 'up' | 'down' | 'back' = 'up';
    const madeWhile = { up: 0, down: 0, back: 0 };
    const assignOne = async (problemId: string) => {
      for (;;) {
        const answer = await t.request('POST', `/v1/problems/${problemId}/actions`, {
          token: p.inspector,
          body: { agency: 'COUNCIL-ASB', description: 'Speak to the residents', tactic: { category: 'engagement', name: 'door-knocking' }, dueBy },
        });
        if (answer.status === 201) return answer.body.id as string;
        if (answer.status === 409 && answer.body?.code === 'WRONG_EXPECTED_REVISION') continue; // as a client would: again
        throw new Error(`assign: ${answer.status} ${answer.text}`);
      }
    };
    // The burst: several clients at once; Redis goes down when a third of the actions are in.
    const outage = (async () => {
      await eventually(async () => actions.length >= ACTIONS / 3, 20_000, 'a third of the burst');
      stoppedAfter = actions.length;
      await redis.stop();
      stopped = true;
      redisState = 'down';
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.start();
      redisState = 'back';
    })();
    await Promise.all(
      problems.map(async (problemId) => {
        while (actions.length < ACTIONS) {
          const state = redisState;
          actions.push(await assignOne(problemId));
          if (state === redisState) madeWhile[state] += 1;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }),
    );
    await outage;
    expect(stopped).toBe(true);
    expect(stoppedAfter).toBeGreaterThan(0);
    expect(stoppedAfter).toBeLessThan(ACTIONS);
    expect(actions.length).toBeGreaterThanOrEqual(ACTIONS);
    // Assignments were made before, during and after the outage.
    expect(madeWhile.up).toBeGreaterThan(0);
    expect(madeWhile.down).toBeGreaterThan(0);
    expect(madeWhile.back).toBeGreaterThan(0);
    // Every client finishes the assignment it had under way: a few more than ACTIONS.
    const assigned = [...actions];
    expect(new Date() < new Date(dueBy)).toBe(true); // the due dates fall after the outage

    const streams = async () => Promise.all(assigned.map((id) => t.runtime.store.read(`action-${id}`)));
    const escalatedOnce = (events: RecordedEvent[]) => events.filter((e) => e.type === 'ActionEscalated').length;
    await eventually(async () => (await streams()).every((events) => escalatedOnce(events) >= 1), 60_000, 'every due date escalated');
    const expected = new Set<string>();
    for (const events of await streams()) for (const e of events) if (e.type === 'ActionAssigned' || e.type === 'ActionEscalated') expected.add(e.eventId);
    expect(expected.size).toBe(assigned.length * 2);
    await eventually(async () => new Set(receiver.acknowledged().map((r) => r.eventId)).size >= expected.size, 60_000, `${expected.size} acknowledged notifications`);
    // Let retries and sweeps run a little longer: nothing may arrive twice or escalate twice.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const acknowledged = receiver.acknowledged().map((r) => r.eventId);
    const counts = new Map<string, number>();
    for (const id of acknowledged) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(acknowledged)).toEqual(expected);
    expect(receiver.receipts.every((r) => r.validSignature)).toBe(true);
    const deliveries = await t.rows<{ event_id: string }>(`SELECT event_id FROM ${t.schema}.webhook_deliveries WHERE agency = 'COUNCIL-ASB'`);
    expect(new Set(deliveries.map((d) => d.event_id))).toEqual(expected);
    expect(deliveries).toHaveLength(expected.size);
    for (const events of await streams()) {
      const escalations = events.filter((e) => e.type === 'ActionEscalated');
      expect(escalations.map((e) => e.data)).toEqual([{ reason: 'overdue', dueBy: new Date(dueBy).toISOString(), dueByRevision: 0 }]);
      expect(escalations[0]!.metadata['actor']).toEqual({ system: 'deadlines' });
    }
    const failed = receiver.receipts.filter((r) => r.answered !== 200).length;
    expect(failed).toBe(expected.size); // each first attempt refused, each retry acknowledged
    console.log(
      `redis outage: ${assigned.length} assignments (${JSON.stringify(madeWhile)} with Redis up, down, back), ${acknowledged.length} notifications acknowledged once each, ` +
        `${receiver.receipts.length} deliveries in all (${failed} refused by the receiver), ${assigned.length} escalations, none twice`,
    );
  }, 120_000);
});
