import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AppendRequest, AppendResult } from '@tasking/event-store';
import { testMetadata } from '../support/events';
import { agencyRegistered, problemRaised } from '../support/fixtures';
import { openReadSide, type ReadSide } from '../support/read-side';
import { TEST_DATABASE_URL } from '../support/test-database';

/**
 * Ordering (quality.md, Reliability) at the level of the projections: a transaction that appended
 * an event is held open while 100 later appends commit; the projections must neither skip the
 * held event nor apply anything twice. (The store's own subscriber is held to the same rule by the
 * event-store contract, "ordering under concurrent transactions".)
 */
describe('a held-open append and 100 later commits: every projection applies every event exactly once', () => {
  let side: ReadSide;

  beforeAll(async () => {
    side = await openReadSide();
  });
  afterAll(async () => {
    await side?.close();
  });

  const eventOf = (type: string, data: object) => ({ eventId: randomUUID(), type, data: data as Record<string, unknown>, metadata: testMetadata() });

  it('waits for the held transaction, then applies it and the later ones, each once', async () => {
    await side.store.append([{ stream: 'agency-POLICE', expectedRevision: 'no-stream', events: [eventOf('AgencyRegistered', agencyRegistered('POLICE').data)] }]);
    const session = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${side.db.schema}` });
    session.on('error', () => undefined);
    await session.connect();
    const within = side.store as unknown as { appendWithin(client: pg.ClientBase, requests: AppendRequest[]): Promise<AppendResult> };
    try {
      await session.query('BEGIN');
      const heldId = randomUUID();
      await within.appendWithin(session, [{ stream: `problem-${heldId}`, expectedRevision: 'no-stream', events: [eventOf('ProblemRaised', problemRaised(heldId, { title: 'Held' }).data)] }]);

      const later: string[] = [];
      let last: AppendResult | undefined;
      for (let wave = 0; wave < 10; wave += 1) {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => {
            const id = randomUUID();
            later.push(id);
            return side.store.append([{ stream: `problem-${id}`, expectedRevision: 'no-stream', events: [eventOf('ProblemRaised', problemRaised(id, { title: `Later ${wave}` }).data)] }]);
          }),
        );
        last = results[results.length - 1];
      }
      // Committed, but behind the open transaction: no projection may have moved past it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const titles = async () => (await side.rows('problems')).map((row) => row['title']);
      expect(await titles()).toEqual([]);

      await session.query('COMMIT');
      const head = await side.store.headPosition();
      expect(head >= last!.position).toBe(true);
      await side.caughtUp(head);
      const problems = await side.rows('problems');
      expect(new Set(problems.map((row) => row['id']))).toEqual(new Set([heldId, ...later]));
      expect(problems).toHaveLength(101);
      // Exactly once: every projection counted each of the 102 events of the log once.
      const checkpoints = await side.runner.positions();
      expect(checkpoints.map((c) => [c.name, c.eventsApplied, c.status])).toEqual(checkpoints.map((c) => [c.name, 102, 'running']));
    } finally {
      await session.query('ROLLBACK').catch(() => undefined);
      await session.end().catch(() => undefined);
    }
  }, 60_000);
});
