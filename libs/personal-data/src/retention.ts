import { randomUUID } from 'node:crypto';
import {
  RETENTION_ACTOR,
  decideIncident,
  decideProblem,
  evolveIncident,
  evolveProblem,
  initialIncidentState,
  initialProblemState,
  streamName,
  type IncidentState,
  type ProblemState,
} from '@tasking/domain';
import type { Database } from '@tasking/event-store';
import type { Clock, ClockGuard } from '@tasking/shared';
import { planOf, type SystemCommands } from '@tasking/application';
import type { DataKeys } from './data-keys';
import { query, quoteIdent } from './sql';

export interface RetentionOptions {
  /** Between sweeps (default one hour). */
  intervalMs?: number;
  /** Before the first sweep after start (default one minute). */
  firstRunMs?: number;
  /** Problems (and incidents) per page of candidates (default 200). */
  pageSize?: number;
  /** Holds the sweep back while the wall clock cannot be trusted (none: the clock is trusted as it is). */
  guard?: ClockGuard;
}

export interface RetentionLogger {
  log(message: string): void;
  error(message: string): void;
}

/** How long personal data is kept: problems' after closure (RETENTION_YEARS_AFTER_CLOSURE), incidents' after recording (INCIDENT_RETENTION_YEARS). */
export interface RetentionYears {
  afterClosure: number;
  incident: number;
}

export interface SweepResult {
  /** Problems whose personal data this sweep erased (or finished erasing: keys a crash had left). */
  erased: string[];
  /** Incidents whose personal data this sweep erased (or finished erasing). */
  erasedIncidents: string[];
  /** Why the sweep did nothing: the wall clock jumped (it waits for the next sweep). */
  held?: string;
}

/**
 * The retention policy (RETENTION_YEARS_AFTER_CLOSURE, default 6): a periodic sweep, on the
 * injected clock, erases the personal data of problems closed at least that long ago. Each
 * erasure is the domain's ErasePersonalData decided and appended through the runtime's system
 * commands (`ProblemPersonalDataErased` under `{system: 'retention'}`; projections drop the text), then
 * every key of the problem is destroyed (the store does it on append; done again here so a crash
 * in between is repaired by the next sweep), and cached meeting packs naming the problem are
 * dropped (they are rebuilt from the read models on demand).
 *
 * Candidates come from the `problems` read model: closed, closure old enough, and not yet erased
 * or still holding a live key. The decider checks again on the log, counting from when the
 * closure was recorded (a `closedAt` dated back makes a problem a candidate early, never an
 * erasure), so a lagging read model can only delay an erasure, never cause a wrong one. While the
 * clock guard holds (the wall clock jumped), a sweep does nothing and says why. Sweeps in several processes are harmless: the
 * second finds nothing to do.
 *
 * Incidents (INCIDENT_RETENTION_YEARS, default 2): candidates are the live incident keys created
 * that long ago (a key is created when the incident's first personal field is appended, so an
 * incident without any has nothing to erase). The domain's EraseIncidentPersonalData decides on
 * the log, from when IncidentRecorded was recorded, and waits while the incident is linked to a
 * problem whose own retention has not ended (its personal data not yet erased).
 */
export class RetentionSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;
  private readonly schema: string;

  constructor(
    private readonly db: Database,
    private readonly commands: SystemCommands,
    private readonly keys: DataKeys,
    private readonly clock: Clock,
    private readonly years: RetentionYears,
    private readonly logger: RetentionLogger = { log: () => undefined, error: (message) => console.error(message) },
    private readonly options: RetentionOptions = {},
  ) {
    this.schema = quoteIdent(db.schema);
  }

  start(): void {
    if (this.timer) return;
    const every = this.options.intervalMs ?? 3_600_000;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.sweep()
          .catch((error: unknown) => this.logger.error(`retention sweep failed: ${error instanceof Error ? error.message : String(error)}`))
          .finally(() => {
            if (this.timer) tick();
          });
      }, delay);
      this.timer.unref();
      delay = every;
    };
    let delay = this.options.firstRunMs ?? 60_000;
    tick();
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every problem whose retention period has run out; one at a time in this process. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepResult> {
    const trusted = (await this.options.guard?.check()) ?? { ok: true };
    if (!trusted.ok) {
      this.logger.error(`retention sweep held: ${trusted.reason}; nothing erased, waiting for the clock to agree again`);
      return { erased: [], erasedIncidents: [], held: trusted.reason };
    }
    const now = this.clock.now();
    const cutoff = new Date(now.getTime());
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.years.afterClosure);
    const pageSize = this.options.pageSize ?? 200;
    const erased: string[] = [];
    let after: { closedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await query<{ id: string; closed_at: Date }>(
        this.db,
        `SELECT p.id, p.closed_at FROM ${this.schema}.problems p
          WHERE p.status = 'closed' AND p.closed_at <= $1
            AND (p.personal_data_erased_at IS NULL
                 OR EXISTS (SELECT 1 FROM ${this.schema}.data_keys k WHERE k.problem_id = p.id AND k.erased_at IS NULL))
            AND ($2::timestamptz IS NULL OR (p.closed_at, p.id) > ($2::timestamptz, $3::uuid))
          ORDER BY p.closed_at, p.id LIMIT $4`,
        [cutoff, after?.closedAt ?? null, after?.id ?? null, pageSize],
      );
      for (const { id } of page) if (await this.erase(id, now)) erased.push(id);
      if (page.length < pageSize) break;
      const last = page[page.length - 1]!;
      after = { closedAt: last.closed_at, id: last.id };
    }
    return { erased, erasedIncidents: await this.sweepIncidents(now, pageSize) };
  }

  /** Every incident whose key is older than the incident retention period: erased when the domain agrees. */
  private async sweepIncidents(now: Date, pageSize: number): Promise<string[]> {
    const cutoff = new Date(now.getTime());
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.years.incident);
    const erased: string[] = [];
    let after: { createdAt: Date; incidentId: string } | undefined;
    for (;;) {
      const page = await this.keys.liveIncidentKeys(cutoff, after, pageSize);
      for (const { incidentId } of page) if (await this.eraseIncident(incidentId, now)) erased.push(incidentId);
      if (page.length < pageSize) break;
      after = page[page.length - 1]!;
    }
    return erased;
  }

  /** Erases one incident's personal data if its retention (and its linked problem's) has run out; true when this call did any of it. */
  private async eraseIncident(incidentId: string, now: Date): Promise<boolean> {
    const stream = streamName('incident', incidentId);
    let state: IncidentState = initialIncidentState;
    let appended = false;
    await this.commands.run({ system: RETENTION_ACTOR.system, now, correlationId: `retention-${randomUUID()}` }, { name: 'EraseIncidentPersonalData' }, async (reader) => {
      state = await reader.load(stream, evolveIncident, initialIncidentState);
      // A key without an incident: its append failed after the key was made; nothing was written under it.
      if (state.status === 'none') return { target: { id: incidentId, stream }, appends: [] };
      const linkedTo = state.disposition?.kind === 'linked' ? state.disposition.problemId : undefined;
      const linkedProblem = linkedTo === undefined ? undefined : await reader.load(streamName('problem', linkedTo), evolveProblem, initialProblemState);
      const decision = decideIncident(
        { type: 'EraseIncidentPersonalData', actor: RETENTION_ACTOR, now: now.toISOString(), retentionYears: this.years.incident, linkedProblem },
        state,
      );
      appended = decision.ok && decision.events.length > 0;
      return planOf(decision, { id: incidentId, stream });
    });
    const erasedBefore = state.status !== 'none' && state.personalDataErased;
    if (!appended && !erasedBefore) return false;
    const destroyed = await this.keys.eraseIncident(incidentId);
    if (!appended && !destroyed) return false;
    this.logger.log(`retention: erased the personal data of incident ${incidentId}`);
    return true;
  }

  /** Erases one problem's personal data if its retention has run out; true when this call did any of it. */
  private async erase(problemId: string, now: Date): Promise<boolean> {
    const stream = streamName('problem', problemId);
    let state: ProblemState = initialProblemState;
    let appended = false;
    await this.commands.run({ system: RETENTION_ACTOR.system, now, correlationId: `retention-${randomUUID()}` }, { name: 'ErasePersonalData' }, async (reader) => {
      state = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem({ type: 'ErasePersonalData', actor: RETENTION_ACTOR, now: now.toISOString(), retentionYears: this.years.afterClosure }, state);
      appended = decision.ok && decision.events.length > 0;
      return planOf(decision, { id: problemId, stream });
    });
    const done = state.status === 'closed' && (appended || state.personalDataErased);
    if (!done) return false;
    const keys = await this.keys.eraseProblem(problemId);
    await this.dropMeetingPacksNaming(problemId);
    if (!appended && keys === 0) return false; // done before (the read model had not caught up)
    this.logger.log(`retention: erased the personal data of problem ${problemId} (${keys} keys destroyed)`);
    return true;
  }

  /** Cached meeting packs hold problem titles: drop those naming the problem (rebuilt on demand). */
  private async dropMeetingPacksNaming(problemId: string): Promise<void> {
    try {
      await query(this.db, `DELETE FROM ${this.schema}.meeting_packs WHERE pack::text LIKE '%' || $1 || '%'`, [problemId]);
    } catch (error) {
      if ((error as { code?: unknown }).code !== '42P01') throw error; // no jobs tables in this database
    }
  }
}
