import { randomBytes, randomUUID } from 'node:crypto';
import { ERASED, type IncidentRecorded } from '@tasking/domain';
import { InvalidAppendError, START, type EventStore, type RecordedEvent } from '@tasking/event-store';
import { FixedClock } from '@tasking/shared';
import { appendEvents } from '../../../test/support/events';
import { assignAction, problemRaised, raiseProblem } from '../../../test/support/fixtures';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { DataKeys, dataKeysKek } from './data-keys';
import { EncryptingEventStore } from './encrypting-event-store';
import { runMigrations } from '@tasking/projections';
import { personalDataMigrations } from './migrations';

describe.each([
  ['postgres', false],
  ['embedded', true],
])('EncryptingEventStore (%s)', (_, embedded) => {
  let test: TestDatabase;
  let keys: DataKeys;
  let store: EventStore;
  /** A second process over the same database, with its own key cache. */
  let other: EventStore;
  const kek = dataKeysKek(randomBytes(32));
  const clock = new FixedClock(new Date('2025-03-10T10:00:00Z'));

  beforeAll(async () => {
    test = await openTestDatabase({ embedded });
    const migrations = personalDataMigrations({ secretsKey: undefined, dataDir: '', defaultPartnership: 'north' });
    await runMigrations(test.db, migrations);
    await runMigrations(test.db, migrations); // idempotent
    keys = new DataKeys(test.db, kek, clock);
    store = new EncryptingEventStore(test.store, keys);
    other = new EncryptingEventStore(test.store, new DataKeys(test.db, kek, clock, { cacheTtlMs: 3_600_000 }));
  }, 60_000);
  afterAll(() => test.close());

  const raw = async (stream: string): Promise<RecordedEvent[]> => test.store.read(stream);

  /**
   * readAll of a view until it yields an event matching `found`: readers see an event only once
   * every transaction open on the server when it committed has ended (other suites run beside this one).
   */
  async function readAllUntil(view: EventStore, found: (event: RecordedEvent) => boolean): Promise<RecordedEvent[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const events = await view.readAll(START, 100_000);
      if (events.some(found) || Date.now() > deadline) return events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps at most cacheSize entries in each of its memory maps, however many problems are written', async () => {
    const small = new DataKeys(test.db, kek, clock, { cacheSize: 5 });
    const bounded = new EncryptingEventStore(test.store, small);
    for (let i = 0; i < 12; i += 1) await raiseProblem(bounded);
    const entries = small.memoryEntries();
    expect(entries.keys).toBeLessThanOrEqual(5);
    expect(entries.liveProblemKeys).toBeLessThanOrEqual(5);
    expect(entries.liveProblemKeys).toBeGreaterThan(0);
  });

  it('encrypts the personal fields on append, reads them back decrypted, and leaves the rest alone', async () => {
    const { problemId } = await raiseProblem(store, { location: { areaCode: 'enfield-town', lat: 51.6, lng: -0.08, address: '1 Fore Street' } });
    await appendEvents(store, `problem-${problemId}`, [
      { type: 'ProblemAnalysed', data: { victim: 'Alex Morgan', hypotheses: ['one', 'two'] } },
      { type: 'ProblemTabled', data: { meetingId: randomUUID() } },
    ]);
    const [raised, analysed, tabled] = await raw(`problem-${problemId}`);
    expect(raised!.data).toMatchObject({
      problemId,
      partnership: 'default',
      category: 'asb-youth',
      title: { $enc: expect.stringMatching(/^v1\.[0-9a-f-]{36}\./) },
      description: { $enc: expect.any(String) },
      location: { areaCode: 'enfield-town', lat: 51.6, lng: -0.08, address: { $enc: expect.any(String) } },
    });
    expect(analysed!.data).toEqual({ victim: { $enc: expect.any(String) }, hypotheses: [{ $enc: expect.any(String) }, { $enc: expect.any(String) }] });
    expect(JSON.stringify(await raw(`problem-${problemId}`))).not.toMatch(/Fore Street|Alex|Youth disorder/);
    expect(tabled!.data).toEqual({ meetingId: expect.any(String) });

    const decrypted = await store.read(`problem-${problemId}`);
    expect(decrypted[0]!.data).toEqual(problemRaised(problemId, { location: { areaCode: 'enfield-town', lat: 51.6, lng: -0.08, address: '1 Fore Street' } }).data);
    expect(decrypted[1]!.data).toEqual({ victim: 'Alex Morgan', hypotheses: ['one', 'two'] });
    const everywhere = [
      (await readAllUntil(store, (e) => e.eventId === decrypted[2]!.eventId)).filter((e) => e.stream === `problem-${problemId}`),
      await store.findByEventIds(decrypted.map((e) => e.eventId)),
      await other.read(`problem-${problemId}`),
    ];
    for (const view of everywhere) expect(view.map((e) => e.data)).toEqual(decrypted.map((e) => e.data));
    // One key per problem, shared by its events.
    const keyIds = new Set(JSON.stringify(await raw(`problem-${problemId}`)).match(/v1\.[0-9a-f-]{36}/g));
    expect(keyIds.size).toBe(1);
  });

  it('encrypts an action\'s text under its problem\'s key, found through the action -> problem mapping', async () => {
    const { problemId } = await raiseProblem(store);
    const { actionId } = await assignAction(store, problemId, { description: 'Visit Alex Morgan' });
    await appendEvents(store, `action-${actionId}`, [{ type: 'ActionDeclined', data: { reasonCode: 'other', note: 'Alex moved away' } }]);
    await appendEvents(other, `action-${actionId}`, [{ type: 'ActionCancelled', data: { reason: 'Alex moved' } }]);
    const problemKey = JSON.stringify(await raw(`problem-${problemId}`)).match(/v1\.([0-9a-f-]{36})/)![1];
    const actionRaw = JSON.stringify(await raw(`action-${actionId}`));
    expect(actionRaw).not.toMatch(/Alex/);
    expect(new Set([...actionRaw.matchAll(/v1\.([0-9a-f-]{36})/g)].map((m) => m[1]))).toEqual(new Set([problemKey]));
    expect((await store.read(`action-${actionId}`)).map((e) => e.data['description'] ?? e.data['note'] ?? e.data['reason'])).toEqual(['Visit Alex Morgan', 'Alex moved away', 'Alex moved']);
    // Several streams in one read: each decrypted, in its own stream.
    const both = await store.readStreams([`problem-${problemId}`, `action-${actionId}`]);
    expect(both.get(`action-${actionId}`)).toEqual(await store.read(`action-${actionId}`));
    expect(both.get(`problem-${problemId}`)).toEqual(await store.read(`problem-${problemId}`));
  });

  it('refuses to append text it cannot put under a problem key, appending nothing', async () => {
    const orphan = randomUUID();
    await expect(appendEvents(store, `action-${orphan}`, [{ type: 'ActionReleased', data: { reason: 'why' } }])).rejects.toBeInstanceOf(InvalidAppendError);
    expect(await raw(`action-${orphan}`)).toEqual([]);
    // Events without personal fields pass anywhere.
    await appendEvents(store, `action-${orphan}`, [{ type: 'ActionEscalated', data: { reason: 'overdue', dueBy: '2025-03-01', dueByRevision: 0 } }]);
  });

  it('gives each subject a key of its own; erasing it reads as [erased] everywhere, also in another process that still holds the key', async () => {
    const { problemId } = await raiseProblem(store);
    const subjectId = randomUUID();
    const keep = randomUUID();
    await appendEvents(store, `problem-${problemId}`, [
      { type: 'SubjectAdded', data: { subjectId, role: 'victim', name: 'Alex Morgan', dateOfBirth: '1990-01-02', addedAt: '2025-03-02T09:00:00Z' } },
      { type: 'SubjectAdded', data: { subjectId: keep, role: 'witness', name: 'Bo Ward', addedAt: '2025-03-02T09:00:00Z' } },
    ]);
    expect((await other.read(`problem-${problemId}`))[1]!.data['name']).toBe('Alex Morgan'); // `other` caches the key for an hour
    const [, added] = await raw(`problem-${problemId}`);
    expect((added!.data['name'] as { $enc: string }).$enc).toMatch(new RegExp(`^v1\\.${subjectId}\\.`));

    await appendEvents(store, `problem-${problemId}`, [{ type: 'SubjectErased', data: { subjectId, reason: 'request', erasedAt: '2025-03-10T10:00:00Z' } }]);
    const rows = await test.db.pool.query(`SELECT wrapped_key, erased_at FROM "${test.db.schema}".data_keys WHERE key_id = $1`, [subjectId]);
    expect(rows.rows).toEqual([{ wrapped_key: null, erased_at: new Date('2025-03-10T10:00:00Z') }]);
    for (const view of [store, other]) {
      const events = await view.read(`problem-${problemId}`);
      expect(events[1]!.data).toEqual({ subjectId, role: 'victim', name: ERASED, dateOfBirth: ERASED, addedAt: '2025-03-02T09:00:00Z' });
      expect(events[2]!.data['name']).toBe('Bo Ward');
      expect(events[3]!.data['reason']).toBe('request');
    }
    // Without the erasure event in sight, a fresh reader asks the table: the key is gone.
    const fresh = new EncryptingEventStore(test.store, new DataKeys(test.db, kek, clock));
    expect((await fresh.findByEventIds([added!.eventId]))[0]!.data['name']).toBe(ERASED);
    // Nothing more can be recorded about an erased subject.
    await expect(appendEvents(store, `problem-${problemId}`, [{ type: 'SubjectAdded', data: { subjectId, role: 'victim', name: 'again', addedAt: '2025-03-02T09:00:00Z' } }])).rejects.toThrow(/erased/);
  });

  it('destroys every key of a problem with ProblemPersonalDataErased, and starts a new one for text written after', async () => {
    const { problemId } = await raiseProblem(store, { description: 'Alex Morgan again' });
    const { actionId } = await assignAction(store, problemId, { description: 'Visit Alex' });
    await appendEvents(store, `problem-${problemId}`, [{ type: 'SubjectAdded', data: { subjectId: randomUUID(), role: 'victim', name: 'Alex Morgan', addedAt: '2025-03-02T09:00:00Z' } }]);
    expect((await other.read(`action-${actionId}`))[0]!.data['description']).toBe('Visit Alex');
    const erasure = { type: 'ProblemPersonalDataErased' as const, data: { reason: 'retention' as const, closedAt: '2025-03-05T00:00:00Z', retentionYears: 6, erasedAt: '2031-03-05T00:00:00Z' } };
    const reopened = { type: 'ProblemReopened' as const, data: { reason: 'back again' } };
    // Keys go when the append commits: nothing may follow an erasure in the same append.
    await expect(appendEvents(store, `problem-${problemId}`, [erasure, reopened])).rejects.toBeInstanceOf(InvalidAppendError);
    await appendEvents(store, `problem-${problemId}`, [{ type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'fine', closedAt: '2025-03-05T00:00:00Z' } }, erasure]);
    await appendEvents(store, `problem-${problemId}`, [reopened]);
    const live = await test.db.pool.query(`SELECT count(*)::int AS n FROM "${test.db.schema}".data_keys WHERE problem_id = $1 AND erased_at IS NULL`, [problemId]);
    expect(live.rows[0].n).toBe(1); // the reopening's key, created after the erasure

    const events = await store.read(`problem-${problemId}`);
    expect(events.map((e) => [e.type, e.data['title'] ?? e.data['name'] ?? e.data['assessment'] ?? e.data['reason'] ?? null])).toEqual([
      ['ProblemRaised', ERASED],
      ['ActionAgreed', null],
      ['SubjectAdded', ERASED],
      ['ProblemClosed', ERASED],
      ['ProblemPersonalDataErased', 'retention'],
      ['ProblemReopened', 'back again'],
    ]);
    // Another process reading the action alone still holds the key in its cache until it reads the
    // erasure (here: readAll over it) or the cache expires.
    await readAllUntil(other, (e) => e.type === 'ProblemPersonalDataErased' && e.stream === `problem-${problemId}`);
    expect((await other.read(`action-${actionId}`))[0]!.data['description']).toBe(ERASED);
  });

  describe('incidents', () => {
    const recorded = (incidentId: string): IncidentRecorded => ({
        type: 'IncidentRecorded',
        data: {
          incidentId,
          partnership: 'default',
          source: 'console',
          externalId: randomUUID(),
          category: 'fly-tipping',
          sourceCategory: 'fly-tipping',
          occurredAt: '2025-03-09T18:30:00Z',
          occurredPrecision: 'exact',
          location: { areaCode: 'enfield-town', address: '12 Church Street' },
          unmapped: false,
          description: 'Mattresses by the bins at Rita\'s',
          reporter: { name: 'Rita Reporter', email: 'rita@example.org' },
          attributes: [{ name: 'device_id', value: 'phone-1234' }],
          channel: 'console',
          triage: true,
          contentHash: 'a'.repeat(64),
        },
      });

    it("puts an incident's reporter, address, description and attribute values under the incident's own key", async () => {
      const incidentId = randomUUID();
      const event = recorded(incidentId);
      await appendEvents(store, `incident-${incidentId}`, [event, { type: 'IncidentDismissed', data: { reasonCode: 'other', note: 'Rita called back' } }]);
      const stored = JSON.stringify(await raw(`incident-${incidentId}`));
      expect(stored).not.toMatch(/Rita|Church Street|Mattresses|phone-1234/);
      expect(new Set([...stored.matchAll(/v1\.([0-9a-f-]{36})\./g)].map((m) => m[1]))).toEqual(new Set([incidentId]));
      const [first, second] = await store.read(`incident-${incidentId}`);
      expect(first!.data).toEqual(event.data);
      expect(second!.data['note']).toBe('Rita called back');
      const rows = await test.db.pool.query(`SELECT scope, problem_id FROM "${test.db.schema}".data_keys WHERE key_id = $1`, [incidentId]);
      expect(rows.rows).toEqual([{ scope: 'incident', problem_id: null }]);
    });

    it('destroys the key with IncidentPersonalDataErased: every personal field reads as [erased], in another process too, and later text is stored erased', async () => {
      const incidentId = randomUUID();
      await appendEvents(store, `incident-${incidentId}`, [recorded(incidentId)]);
      expect((await other.read(`incident-${incidentId}`))[0]!.data['description']).toContain('Mattresses'); // `other` caches the key
      const erased = { type: 'IncidentPersonalDataErased' as const, data: { erasedAt: '2027-03-10T10:00:00Z' } };
      await expect(appendEvents(store, `incident-${incidentId}`, [erased, { type: 'IncidentLinked', data: { problemId: randomUUID() } }])).rejects.toBeInstanceOf(InvalidAppendError);
      await appendEvents(store, `incident-${incidentId}`, [erased]);
      const rows = await test.db.pool.query(`SELECT wrapped_key, erased_at FROM "${test.db.schema}".data_keys WHERE key_id = $1`, [incidentId]);
      expect(rows.rows).toEqual([{ wrapped_key: null, erased_at: new Date('2025-03-10T10:00:00Z') }]);
      for (const view of [store, other]) {
        const [read] = await view.read(`incident-${incidentId}`);
        expect(read!.data).toMatchObject({
          location: { areaCode: 'enfield-town', address: ERASED },
          description: ERASED,
          reporter: { name: ERASED, email: ERASED },
          attributes: [{ name: 'device_id', value: ERASED }],
          category: 'fly-tipping',
        });
      }
      await appendEvents(store, `incident-${incidentId}`, [{ type: 'IncidentDismissed', data: { reasonCode: 'other', note: 'Rita again' } }]);
      expect(JSON.stringify(await raw(`incident-${incidentId}`))).not.toMatch(/Rita/);
      expect((await store.read(`incident-${incidentId}`))[2]!.data['note']).toBe(ERASED);
    });

    it('refuses incident fields outside an incident stream, appending nothing', async () => {
      const id = randomUUID();
      await expect(appendEvents(store, `problem-${id}`, [recorded(id)])).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await raw(`problem-${id}`)).toEqual([]);
    });
  });

  it('reads values sealed for another event, field or key as [erased], and plain legacy text as it is', async () => {
    const { problemId } = await raiseProblem(store);
    const [raised] = await raw(`problem-${problemId}`);
    const title = raised!.data['title'];
    // The title's ciphertext moved into the description of another event: authenticated data refuses it.
    const moved = randomUUID();
    await test.store.append([
      { stream: `problem-${moved}`, expectedRevision: 'no-stream', events: [{ eventId: randomUUID(), type: 'ProblemRaised', data: { ...problemRaised(moved).data, description: title as never }, metadata: {} }] },
    ]);
    const [read] = await store.read(`problem-${moved}`);
    expect(read!.data['description']).toBe(ERASED);
    expect(read!.data['title']).toBe('Youth disorder at Church Street parade'); // legacy plaintext passes through
  });

  it('decrypts what subscribeAll yields', async () => {
    const { problemId, result } = await raiseProblem(store, { title: 'Subscribed title' });
    const controller = new AbortController();
    for await (const event of store.subscribeAll(START, { signal: controller.signal, batchSize: 1000 })) {
      if (event.position === result.position) {
        expect(event.data).toMatchObject({ problemId, title: 'Subscribed title' });
        controller.abort();
      }
    }
  });
});
