import {
  POLICE_UK_CATEGORY_MAP,
  contentHashOf,
  incidentIdOf,
  mapCategory,
  mappedCsvRows,
  parseCsvMapping,
  policeUkStreetRows,
  readCsvRows,
  resolveArea,
  type ImportedRow,
  type ResolvableArea,
  type RowMapper,
} from '@tasking/application';
import {
  IMPORTS_ACTOR,
  asDomainEvent,
  decideIncident,
  evolveIncident,
  initialIncidentState,
  streamName,
  type CategoryMap,
  type ImportCounts,
  type ImportEvent,
  type ImportFormat,
  type ImportStarted,
  type IncidentCommand,
  type IncidentEvent,
  type IncidentLocation,
  type IncidentRecorded,
  type IncidentState,
  type IncidentUpdated,
  type ProblemCategory,
  type WithdrawReason,
} from '@tasking/domain';
import { WrongExpectedRevisionError, type AppendRequest, type Database, type EventStore, type RecordedEvent } from '@tasking/event-store';
import { ApiError, canonicalJson, uuidV5, type Clock } from '@tasking/shared';
import { loadImportFile, NO_COUNTS, REJECTED_ROWS_KEPT, saveImportProgress, stageImportFile, stagedBytes, type ImportFile, type ImportFileMeta, type RejectedRow } from './import-files';

/**
 * Running a staged import (evidence.md, "Bulk import"): the file streamed row by row, each row
 * mapped, resolved to an area of the partnership (rows outside it counted, not recorded), and
 * decided by the incident's own decider against its stream as the log holds it; the incidents'
 * events appended a batch at a time in one multi-stream append (all or nothing). A row whose
 * incident exists with the same content hash is `unchanged`; with another, `updated`. After the
 * rows, `complete=true` withdraws the incidents of the file's (source, month)s that earlier
 * imports recorded and this file no longer holds. The `import-<id>` stream ends with
 * ImportCompleted (or ImportFailed).
 */

/** What a run needs to know of the partnership: its areas (LSOAs and boundaries) and the source. */
export interface ImportReferences {
  areasOf(partnership: string): Promise<ResolvableArea[]>;
  /** The registered source, or undefined when the partnership has none of that code. */
  sourceOf(partnership: string, code: string): Promise<{ triage: boolean; categoryMap: CategoryMap } | undefined>;
}

export type ImportRunOptions = { timeZone: string; batchSize?: number };

/** Incidents per append: large enough for throughput, small enough for one transaction. */
export const IMPORT_BATCH = 500;
const ATTEMPTS = 5;
const UNMAPPED_KEPT = 100;

type Pending = ImportedRow & { incidentId: string; areaCode: string; category: ProblemCategory; contentHash: string };

/** The incident's mapped fields as its events left them (IncidentRecorded, then each IncidentUpdated). */
type Content = Pick<IncidentRecorded['data'], 'category' | 'sourceCategory' | 'occurredAt' | 'occurredPrecision' | 'outcome' | 'context' | 'description'> & {
  location: IncidentLocation;
};

type Folded = { state: IncidentState; content?: Content };

const foldIncident = (events: readonly RecordedEvent[]): Folded => {
  let state: IncidentState = initialIncidentState;
  let content: Content | undefined;
  for (const recorded of events) {
    const event = asDomainEvent(recorded) as IncidentEvent | undefined;
    if (!event) continue;
    state = evolveIncident(state, { ...event, recordedAt: recorded.metadata['recordedAt'] as string | undefined } as IncidentEvent);
    if (event.type === 'IncidentRecorded') {
      const { category, sourceCategory, occurredAt, occurredPrecision, outcome, context, description, location } = event.data;
      content = { category, sourceCategory, occurredAt, occurredPrecision, outcome, context, description, location };
    } else if (event.type === 'IncidentUpdated' && content) {
      const { contentHash: _hash, sourceUpdatedAt: _at, importId: _id, unmapped: _unmapped, ...changed } = event.data;
      content = { ...content, ...Object.fromEntries(Object.entries(changed).filter(([, value]) => value !== undefined)) };
    }
  }
  return { state, content };
};

/** Equal as values (the log's JSON may hold an object's keys in another order). */
const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? '') === canonicalJson(b ?? '');

/** The mapped fields that differ from what the incident holds; a field the row no longer has is cleared (`''`). */
const changedFields = (before: Content | undefined, row: Pending): Partial<IncidentUpdated['data']> => {
  const after: Content = {
    category: row.category,
    sourceCategory: row.sourceCategory,
    occurredAt: row.occurredAt,
    occurredPrecision: row.occurredPrecision,
    outcome: row.outcome,
    context: row.context,
    description: row.description,
    location: { ...row.location, areaCode: row.areaCode },
  };
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Content)[]) {
    if (before && same(before[key], after[key])) continue;
    changed[key] = after[key] ?? '';
  }
  return changed as Partial<IncidentUpdated['data']>;
};

type Tally = {
  counts: ImportCounts;
  byArea: Record<string, number>;
  rejectedRows: RejectedRow[];
  unmapped: Set<string>;
  months: Set<string>;
  /** The log position after the run's last append. */
  position: string;
};

export class ImportRun {
  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    /** The store commands append through (personal fields encrypted). */
    private readonly store: EventStore,
    private readonly references: ImportReferences,
    private readonly clock: Clock,
    private readonly options: ImportRunOptions,
  ) {
    this.batchSize = options.batchSize ?? IMPORT_BATCH;
  }

  /**
   * Stages a file sent (checked whole: its encoding, its quotes, its header) and records
   * ImportStarted; refuses an unknown source (UNKNOWN_SOURCE) and a file or mapping that cannot
   * be read (IMPORT_FORMAT_INVALID), leaving nothing behind. The run is queued, not started.
   */
  async start(meta: Omit<ImportFileMeta, 'sentAt'>, body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, maxBytes: number): Promise<{ importId: string; bytes: number }> {
    if (!(await this.references.sourceOf(meta.partnership, meta.source))) {
      throw new ApiError('UNKNOWN_SOURCE', `source ${meta.source} is not registered for partnership ${meta.partnership}`);
    }
    const sentAt = this.clock.now().toISOString();
    const columns = this.mapperOf(meta.format, meta.mapping, sentAt).columns;
    const { bytes } = await stageImportFile(this.db, { ...meta, sentAt }, body, {
      maxBytes,
      check: async (file) => {
        for await (const item of readCsvRows(file, { columns })) void item;
      },
    });
    const { importId, partnership, source, format, complete, mapping, sentBy } = meta;
    const started: ImportStarted = { type: 'ImportStarted', data: { importId, partnership, source, format, complete, ...(mapping ? { mapping } : {}), bytes, by: sentBy } };
    await this.appendImportEvent(importId, started);
    return { importId, bytes };
  }

  private mapperOf(format: ImportFormat, mapping: Record<string, string> | undefined, now: string): RowMapper {
    const clock = { now, timeZone: this.options.timeZone };
    return format === 'police-uk-street' ? policeUkStreetRows(clock) : mappedCsvRows(parseCsvMapping(JSON.stringify(mapping ?? {})), clock);
  }

  /** Runs a queued import to its end; an import already ended is left as it is. `progress` hears the rows read so far. */
  async run(importId: string, progress?: (rowsRead: number) => Promise<void> | void): Promise<ImportFile | undefined> {
    const file = await loadImportFile(this.db, importId);
    if (!file || file.status === 'completed' || file.status === 'failed') return file;
    const tally: Tally = { counts: { ...NO_COUNTS }, byArea: {}, rejectedRows: [], unmapped: new Set(), months: new Set(), position: await this.store.headPosition() };
    await saveImportProgress(this.db, importId, { status: 'running', counts: tally.counts, byArea: {}, rejectedRows: [] });
    try {
      const source = await this.references.sourceOf(file.partnership, file.source);
      if (!source) throw new ApiError('UNKNOWN_SOURCE', `source ${file.source} is not registered for partnership ${file.partnership}`);
      const areas = await this.references.areasOf(file.partnership);
      // data.police.uk's crime types map as built in, unless the source maps them otherwise.
      const categoryMap = file.format === 'police-uk-street' ? { ...POLICE_UK_CATEGORY_MAP, ...source.categoryMap } : source.categoryMap;
      const mapper = this.mapperOf(file.format, file.mapping, this.clock.now().toISOString());

      let batch = new Map<string, Pending>();
      for await (const item of readCsvRows(stagedBytes(this.db, importId), { columns: mapper.columns })) {
        tally.counts.rowsRead += 1;
        const mapped = 'rejection' in item ? item : mapper.map(item);
        if ('rejection' in mapped) {
          tally.counts.rejected += 1;
          if (tally.rejectedRows.length < REJECTED_ROWS_KEPT) tally.rejectedRows.push(mapped.rejection);
          continue;
        }
        const areaCode = resolveArea(mapped.location, areas);
        if (areaCode === undefined) {
          tally.counts.outsidePartnership += 1;
          continue;
        }
        const { category, unmapped } = mapCategory(mapped.sourceCategory, categoryMap);
        if (unmapped && tally.unmapped.size < UNMAPPED_KEPT) tally.unmapped.add(mapped.sourceCategory);
        const location = { ...mapped.location, areaCode };
        const pending: Pending = {
          ...mapped,
          incidentId: incidentIdOf(file.partnership, file.source, mapped.externalId),
          areaCode,
          category,
          contentHash: contentHashOf({ ...mapped, category, location }),
        };
        tally.months.add(mapped.month);
        tally.byArea[areaCode] = (tally.byArea[areaCode] ?? 0) + 1;
        // The same record twice in one file: the earlier row's batch goes first, so the later one updates it.
        if (batch.has(pending.incidentId)) {
          await this.record(file, source.triage, [...batch.values()], tally);
          batch = new Map();
        }
        batch.set(pending.incidentId, pending);
        if (batch.size >= this.batchSize) {
          await this.record(file, source.triage, [...batch.values()], tally);
          batch = new Map();
          await saveImportProgress(this.db, importId, { status: 'running', counts: tally.counts, byArea: tally.byArea, rejectedRows: tally.rejectedRows });
          await progress?.(tally.counts.rowsRead);
        }
      }
      if (batch.size > 0) await this.record(file, source.triage, [...batch.values()], tally);
      if (file.complete && tally.months.size > 0) tally.counts.withdrawn = await this.withdrawAbsent(file, [...tally.months], tally);

      const completed = await this.appendImportEvent(importId, {
        type: 'ImportCompleted',
        data: { counts: tally.counts, byArea: tally.byArea, unmappedCategories: [...tally.unmapped].sort(), position: tally.position },
      });
      await saveImportProgress(this.db, importId, { status: 'completed', counts: tally.counts, byArea: tally.byArea, rejectedRows: tally.rejectedRows, position: completed });
    } catch (error) {
      const reason = error instanceof ApiError ? error.message : 'The import stopped on an internal error; the batches appended before it stay.';
      await this.appendImportEvent(importId, { type: 'ImportFailed', data: { reason } });
      await saveImportProgress(this.db, importId, { status: 'failed', counts: tally.counts, byArea: tally.byArea, rejectedRows: tally.rejectedRows, reason });
      if (!(error instanceof ApiError)) throw error;
    }
    return loadImportFile(this.db, importId);
  }

  /** Withdraws everything the import recorded (`POST /v1/imports/:id/withdraw`); answers how many. */
  async withdraw(importId: string, by: string): Promise<number> {
    let withdrawn = 0;
    for (;;) {
      const ids = await this.ledgerIds('SELECT incident_id FROM import_ledger WHERE recorded_by = $1 AND NOT withdrawn ORDER BY incident_id LIMIT $2', [importId, this.batchSize]);
      if (ids.length === 0) break;
      withdrawn += (await this.withdrawIncidents(ids, importId, 'import-withdrawn')).count;
    }
    await this.appendImportEvent(importId, { type: 'ImportWithdrawn', data: { withdrawn, by } });
    await this.ledgerIds('UPDATE import_files SET withdrawn_at = $2 WHERE import_id = $1 RETURNING import_id AS incident_id', [importId, this.clock.now()]);
    return withdrawn;
  }

  private async withdrawAbsent(file: ImportFile, months: string[], tally: Tally): Promise<number> {
    let withdrawn = 0;
    for (;;) {
      const ids = await this.ledgerIds(
        `SELECT incident_id FROM import_ledger
          WHERE partnership = $1 AND source = $2 AND month = ANY($3) AND seen_by <> $4 AND NOT withdrawn
          ORDER BY incident_id LIMIT $5`,
        [file.partnership, file.source, months, file.importId, this.batchSize],
      );
      if (ids.length === 0) return withdrawn;
      const done = await this.withdrawIncidents(ids, file.importId, 'absent-from-complete-import');
      withdrawn += done.count;
      if (done.position) tally.position = done.position;
    }
  }

  private async withdrawIncidents(ids: string[], importId: string, reason: WithdrawReason): Promise<{ count: number; position?: string }> {
    const now = this.clock.now().toISOString();
    const appended = await this.appendDecided(ids, (id) => ({ command: { type: 'WithdrawIncident', actor: IMPORTS_ACTOR, now, reason, importId }, key: `${importId}/withdraw/${id}` }));
    await this.ledgerIds('UPDATE import_ledger SET withdrawn = true WHERE incident_id = ANY($1) RETURNING incident_id', [ids]);
    return { count: appended.streams.size, position: appended.position };
  }

  /** Decides and appends one batch of rows; counts what it did; records the rows in the ledger. */
  private async record(file: ImportFile, triage: boolean, rows: Pending[], tally: Tally): Promise<void> {
    const now = this.clock.now().toISOString();
    const byId = new Map(rows.map((row) => [row.incidentId, row]));
    const outcomes = new Map<string, 'recorded' | 'updated' | 'unchanged'>();
    // The ledger holds the content hash each incident's last import left in the log (written
    // after its append): a row with that hash is unchanged without reading its stream.
    for (const id of await this.sameInLedger(rows)) {
      outcomes.set(id, 'unchanged');
      byId.delete(id);
    }
    const appended = await this.appendDecided([...byId.keys()], (id, folded) => {
      const row = byId.get(id)!;
      if (folded.state.status === 'none') {
        outcomes.set(id, 'recorded');
        return {
          key: `${file.importId}/record/${id}`,
          command: {
            type: 'RecordIncident',
            actor: IMPORTS_ACTOR,
            now,
            sourceKnown: true,
            incidentId: id,
            partnership: file.partnership,
            source: file.source,
            externalId: row.externalId,
            category: row.category,
            sourceCategory: row.sourceCategory,
            occurredAt: row.occurredAt,
            occurredPrecision: row.occurredPrecision,
            location: { ...row.location, areaCode: row.areaCode },
            unmapped: false,
            ...(row.outcome === undefined ? {} : { outcome: row.outcome }),
            ...(row.context === undefined ? {} : { context: row.context }),
            ...(row.description === undefined ? {} : { description: row.description }),
            channel: 'import',
            importId: file.importId,
            triage,
            contentHash: row.contentHash,
          },
        };
      }
      if (folded.state.contentHash === row.contentHash) {
        outcomes.set(id, 'unchanged');
        return undefined;
      }
      outcomes.set(id, 'updated');
      return {
        key: `${file.importId}/update/${id}`,
        command: { type: 'UpdateIncident', actor: IMPORTS_ACTOR, now, ...changedFields(folded.content, row), contentHash: row.contentHash, sourceUpdatedAt: now, importId: file.importId },
      };
    });
    if (appended.position) tally.position = appended.position;
    for (const outcome of outcomes.values()) tally.counts[outcome] += 1;
    await this.ledgerIds(
      `INSERT INTO import_ledger (incident_id, partnership, source, month, content_hash, recorded_by, seen_by)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $6::uuid[])
       ON CONFLICT (incident_id) DO UPDATE SET month = EXCLUDED.month, content_hash = EXCLUDED.content_hash, seen_by = EXCLUDED.seen_by
       RETURNING incident_id`,
      [rows.map((r) => r.incidentId), rows.map(() => file.partnership), rows.map(() => file.source), rows.map((r) => r.month), rows.map((r) => r.contentHash), rows.map(() => file.importId)],
    );
  }

  /** The rows' incidents whose ledger entry has the row's content hash. */
  private sameInLedger(rows: Pending[]): Promise<string[]> {
    return this.ledgerIds(
      `SELECT l.incident_id FROM import_ledger l
         JOIN unnest($1::uuid[], $2::text[]) AS r(incident_id, content_hash) ON l.incident_id = r.incident_id AND l.content_hash = r.content_hash`,
      [rows.map((r) => r.incidentId), rows.map((r) => r.contentHash)],
    );
  }

  /**
   * Reads the incidents' streams, decides a command for each (`plan` answers undefined for none),
   * and appends every event in one multi-stream append expecting the revisions read; a stream
   * that moved meanwhile makes the whole batch read and decide again. Answers the ids appended to.
   * A decider's refusal stops the run: the import's rows are checked before they reach it.
   */
  private async appendDecided(
    ids: string[],
    plan: (id: string, folded: Folded) => { command: IncidentCommand; key: string } | undefined,
  ): Promise<{ streams: Set<string>; position?: string }> {
    if (ids.length === 0) return { streams: new Set() };
    for (let attempt = 1; ; attempt += 1) {
      const streams = await this.store.readStreams(ids.map((id) => streamName('incident', id)));
      const requests: AppendRequest[] = [];
      const recordedAt = this.clock.now().toISOString();
      for (const id of ids) {
        const stream = streamName('incident', id);
        const folded = foldIncident(streams.get(stream) ?? []);
        const planned = plan(id, folded);
        if (!planned) continue;
        const decision = decideIncident(planned.command, folded.state);
        if (!decision.ok) throw new Error(`${planned.command.type} of incident ${id} refused: ${decision.error.code} ${decision.error.message}`);
        if (decision.events.length === 0) continue;
        const commandId = uuidV5(planned.key);
        const metadata = {
          recordedAt,
          actor: IMPORTS_ACTOR,
          causationId: commandId,
          correlationId: planned.key.split('/')[0],
          schemaVersion: 1,
          command: { id: commandId, name: planned.command.type, target: stream, count: decision.events.length },
        };
        requests.push({
          stream,
          expectedRevision: folded.state.status === 'none' ? 'no-stream' : folded.state.revision,
          events: decision.events.map((event, i) => ({ eventId: uuidV5(`${planned.key}/${i}`), type: event.type, data: event.data as Record<string, unknown>, metadata })),
        });
      }
      if (requests.length === 0) return { streams: new Set() };
      try {
        const { position } = await this.store.append(requests);
        return { streams: new Set(requests.map((request) => request.stream)), position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async appendImportEvent(importId: string, event: ImportEvent): Promise<string> {
    const stream = streamName('import', importId);
    const metadata = { recordedAt: this.clock.now().toISOString(), actor: IMPORTS_ACTOR, correlationId: importId, schemaVersion: 1 };
    const key = `${importId}/${event.type}/${event.type === 'ImportWithdrawn' ? this.clock.now().toISOString() : ''}`;
    const { position } = await this.store.append([
      { stream, expectedRevision: event.type === 'ImportStarted' ? 'no-stream' : 'any', events: [{ eventId: uuidV5(key), type: event.type, data: event.data as Record<string, unknown>, metadata }] },
    ]);
    return position;
  }

  private async ledgerIds(text: string, values: unknown[]): Promise<string[]> {
    const client = await this.db.pool.connect();
    try {
      return (await client.query<{ incident_id: string }>(text, values)).rows.map((row) => row.incident_id);
    } finally {
      client.release();
    }
  }
}
