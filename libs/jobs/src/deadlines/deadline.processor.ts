import { DelayedError, type Job } from 'bullmq';
import type { Database } from '@tasking/event-store';
import type { Clock, ClockGuard } from '@tasking/shared';
import { query, quoteIdent } from '../sql';
import type { DeadlineJobData } from '../queues';
import type { JobsLogger } from '../redis';

/**
 * What appending an escalation came to. `escalated`: ActionEscalated appended now;
 * `already-escalated`: the stream has it for this due date; `superseded`: the due date was
 * changed since (a later job owns the new one); `closed`: discharged or cancelled; `not-due`:
 * now < dueBy (the job fired early, e.g. clocks differ); `not-found`: no such action.
 */
export type EscalationOutcome = 'escalated' | 'already-escalated' | 'superseded' | 'closed' | 'not-due' | 'not-found';

/**
 * Appends ActionEscalated under the system actor `{system: 'deadlines'}` through the command
 * runner, deciding with the action decider (EscalateAction), only when still open, due, and not
 * escalated for the due date set at `dueByRevision`.
 */
export interface Escalator {
  escalate(request: { actionId: string; dueByRevision: number; now: Date; correlationId: string }): Promise<{ outcome: EscalationOutcome; dueBy?: string }>;
}

const FINAL: ReadonlySet<EscalationOutcome> = new Set(['escalated', 'already-escalated', 'superseded', 'closed', 'not-found']);

export interface SweepResult {
  examined: number;
  escalated: number;
  /** Why the sweep did nothing: the wall clock jumped. */
  held?: string;
}

/** How long a deadline job held back by a clock jump waits before it looks again. */
const HELD_RETRY_MS = 60_000;

/**
 * The deadlines queue's work: a delayed job per due date (keyed by the revision that set it),
 * and the periodic sweep over the actions read model that catches what a lost job missed. Both
 * record each (action, due-date revision) they finished in `escalations` and skip repeats.
 */
export class DeadlineProcessor {
  private readonly schema: string;

  constructor(
    private readonly db: Database,
    private readonly escalator: Escalator,
    private readonly clock: Clock,
    private readonly logger: JobsLogger,
    private readonly guard?: ClockGuard,
  ) {
    this.schema = quoteIdent(db.schema);
  }

  /** Whether the wall clock may be trusted to escalate now; logs when not. */
  private async clockTrusted(what: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const trusted = (await this.guard?.check()) ?? { ok: true as const };
    if (!trusted.ok) this.logger.error(`${what} held: ${trusted.reason}; nothing escalated, waiting for the clock to agree again`);
    return trusted;
  }

  async process(job: Job<DeadlineJobData | Record<string, never>>, token?: string): Promise<unknown> {
    if (job.name === 'sweep') return this.sweep();
    const data = job.data as DeadlineJobData;
    const result = await this.escalateOnce(data.actionId, data.dueByRevision, data.dueBy);
    if (result === 'held' && token) {
      // The wall clock jumped: look again later rather than escalate (or give up) on its word.
      await job.moveToDelayed(Date.now() + HELD_RETRY_MS, token);
      throw new DelayedError();
    }
    if (result === 'not-due' && token) {
      // Fired before its time by this process's clock: wait for the rest of it.
      const remaining = Math.max(1000, Date.parse(data.dueBy) - this.clock.now().getTime());
      await job.moveToDelayed(Date.now() + remaining, token);
      throw new DelayedError();
    }
    return { outcome: result };
  }

  /**
   * Escalates the due date set at `dueByRevision` at most once; returns what happened (`held`:
   * nothing, the wall clock jumped).
   *
   * Order: the event first, then the `escalations` row. The log is the truth and the row only a
   * memo that this job is finished: a crash between the two leaves an escalation without its row,
   * and the next run (job retry or sweep) finds `already-escalated` and writes the row. The other
   * order would let a crash leave a row claiming an escalation the log never got. Readers that
   * need the row (tests, "done-before") wait for the row, not for the event.
   */
  async escalateOnce(actionId: string, dueByRevision: number, dueBy?: string, checked = false): Promise<EscalationOutcome | 'done-before' | 'held'> {
    const done = await query(this.db, `SELECT 1 FROM ${this.schema}.escalations WHERE action_id = $1 AND due_by_revision = $2`, [actionId, dueByRevision]);
    if (done.length > 0) return 'done-before';
    if (!checked && !(await this.clockTrusted(`deadline job for action ${actionId}`)).ok) return 'held';
    const now = this.clock.now();
    const result = await this.escalator.escalate({ actionId, dueByRevision, now, correlationId: `deadline-${actionId}-${dueByRevision}` });
    if (FINAL.has(result.outcome)) {
      await query(
        this.db,
        `INSERT INTO ${this.schema}.escalations (action_id, due_by_revision, due_by, outcome, done_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (action_id, due_by_revision) DO NOTHING`,
        [actionId, dueByRevision, result.dueBy ?? dueBy ?? now.toISOString(), result.outcome, now],
      );
    }
    if (result.outcome === 'escalated') this.logger.info(`action ${actionId} escalated: overdue since ${result.dueBy ?? dueBy}`);
    return result.outcome;
  }

  /**
   * The backstop: open actions past due whose current due date has no escalation, from the
   * actions read model (a lagging read model only delays this; the escalator re-reads the stream).
   */
  async sweep(limit = 500): Promise<SweepResult> {
    const trusted = await this.clockTrusted('deadline sweep');
    if (!trusted.ok) return { examined: 0, escalated: 0, held: trusted.reason };
    const rows = await query<{ id: string; due_by_revision: number; due_by: Date }>(
      this.db,
      `SELECT a.id, a.due_by_revision, a.due_by FROM ${this.schema}.actions a
        WHERE a.status IN ('unclaimed', 'claimed', 'declined') AND a.due_by <= $1
          AND a.escalated_due_by_revision IS DISTINCT FROM a.due_by_revision
          AND NOT EXISTS (SELECT 1 FROM ${this.schema}.escalations e WHERE e.action_id = a.id AND e.due_by_revision = a.due_by_revision)
        ORDER BY a.due_by, a.id LIMIT $2`,
      [this.clock.now(), limit],
    );
    let escalated = 0;
    for (const row of rows) {
      const outcome = await this.escalateOnce(row.id, row.due_by_revision, row.due_by.toISOString(), true);
      if (outcome === 'escalated') escalated += 1;
    }
    if (escalated > 0) this.logger.info(`deadline sweep escalated ${escalated} action(s) a job had missed`);
    return { examined: rows.length, escalated };
  }
}
