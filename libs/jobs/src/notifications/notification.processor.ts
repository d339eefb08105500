import { UnrecoverableError, type Job } from 'bullmq';
import type { Database, EventStore } from '@tasking/event-store';
import { query, quoteIdent } from '../sql';
import type { NotificationJobData } from '../queues';
import type { JobsLogger } from '../redis';
import { ForbiddenTargetError } from './address-policy';
import { webhookUrlFor } from '@tasking/domain';
import { foldAgency, notificationFor } from './notification-payload';
import { sendWebhook, type WebhookClientOptions } from './webhook-client';

/** Where the plain webhook secret of an agency's webhook for a partnership comes from (the encrypted `agency_webhook_secrets` table). */
export interface WebhookSecretSource {
  reveal(agencyCode: string, partnership: string): Promise<string | undefined>;
}

export type NotificationOutcome =
  | { kind: 'already-acknowledged' }
  | { kind: 'delivered'; status: number; attempt: number }
  | { kind: 'logged' }
  | { kind: 'no-action' };

export interface DeadLetter {
  eventId: string;
  agency: string;
  /** The partnership of the event (its action's); null when it could not be read, or for letters written before it was kept. */
  partnership: string | null;
  eventType: string;
  url: string | null;
  attempts: number;
  reason: string;
  failedAt: string;
}

/**
 * Delivers one notification to one agency: skips it if acknowledged before, else POSTs the
 * signed body (signed afresh at every attempt) to the agency's webhook for the event's
 * partnership (never another partnership's) or, when it has none there, writes a log line;
 * records the acknowledgement. The last failed attempt (or a refused target) writes a dead
 * letter before failing the job.
 */
export class NotificationProcessor {
  private readonly schema: string;

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly secrets: WebhookSecretSource,
    private readonly client: WebhookClientOptions,
    private readonly logger: JobsLogger,
    /** A webhook set before webhooks were per partnership serves this partnership (DEFAULT_PARTNERSHIP). */
    private readonly defaultPartnership: string,
  ) {
    this.schema = quoteIdent(db.schema);
  }

  async process(job: Job<NotificationJobData>): Promise<NotificationOutcome> {
    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const data = job.data;
    const target: { url: string | null; partnership: string | null } = { url: null, partnership: null };
    try {
      return await this.deliver(data, attempt, target);
    } catch (error) {
      const refused = error instanceof ForbiddenTargetError;
      if (refused || lastAttempt) {
        await this.deadLetter({
          eventId: data.eventId,
          agency: data.agency,
          partnership: target.partnership,
          eventType: data.type,
          url: target.url,
          attempts: attempt,
          reason: (error as Error).message.slice(0, 1000),
          failedAt: new Date().toISOString(),
        });
        this.logger.warn(`notification ${data.type} ${data.eventId} to ${data.agency} dead-lettered after ${attempt} attempt(s): ${(error as Error).message}`);
      }
      if (refused) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }

  async deliver(
    data: NotificationJobData,
    attempt: number,
    target: { url: string | null; partnership: string | null } = { url: null, partnership: null },
  ): Promise<NotificationOutcome> {
    if (await this.acknowledged(data.eventId, data.agency)) return { kind: 'already-acknowledged' };
    const notification = await notificationFor(this.store, data);
    if (!notification) return { kind: 'no-action' };
    const { body, partnership } = notification;
    target.partnership = partnership;
    const url = webhookUrlFor(foldAgency(await this.store.read(`agency-${data.agency}`)), partnership, this.defaultPartnership);
    if (!url) {
      this.logger.info(`notification (log transport) ${data.type} ${data.eventId} for agency ${data.agency}: action ${body.action.id}, due ${body.action.dueBy}, ${body.action.status}`);
      await this.acknowledge(data, 'log', null, null, attempt);
      return { kind: 'logged' };
    }
    target.url = url;
    const secret = await this.secrets.reveal(data.agency, partnership);
    // The command stores the secret just after appending the event that sets the URL: wait for it.
    if (!secret) throw new Error(`agency ${data.agency} has a webhook URL for partnership ${partnership} but no secret stored yet`);
    const raw = JSON.stringify(body);
    const response = await sendWebhook(
      { url, eventId: data.eventId, body: raw, secret, timestamp: Math.floor(Date.now() / 1000) },
      this.client,
    );
    if (response.status < 200 || response.status > 299) {
      throw new Error(`the webhook of ${data.agency} answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}`);
    }
    await this.acknowledge(data, 'webhook', url, response.status, attempt);
    return { kind: 'delivered', status: response.status, attempt };
  }

  private async acknowledged(eventId: string, agency: string): Promise<boolean> {
    const rows = await query(this.db, `SELECT 1 FROM ${this.schema}.webhook_deliveries WHERE event_id = $1 AND agency = $2`, [eventId, agency]);
    return rows.length > 0;
  }

  private async acknowledge(data: NotificationJobData, transport: 'webhook' | 'log', url: string | null, status: number | null, attempts: number): Promise<void> {
    await query(
      this.db,
      `INSERT INTO ${this.schema}.webhook_deliveries (event_id, agency, event_type, transport, url, status_code, attempts, acknowledged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now()) ON CONFLICT (event_id, agency) DO NOTHING`,
      [data.eventId, data.agency, data.type, transport, url, status, attempts],
    );
    await query(this.db, `DELETE FROM ${this.schema}.webhook_dead_letters WHERE event_id = $1 AND agency = $2`, [data.eventId, data.agency]);
  }

  private async deadLetter(letter: DeadLetter): Promise<void> {
    await query(
      this.db,
      `INSERT INTO ${this.schema}.webhook_dead_letters (event_id, agency, partnership, event_type, url, attempts, reason, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (event_id, agency) DO UPDATE SET partnership = COALESCE(EXCLUDED.partnership, ${this.schema}.webhook_dead_letters.partnership),
         url = EXCLUDED.url, attempts = EXCLUDED.attempts, reason = EXCLUDED.reason, failed_at = EXCLUDED.failed_at`,
      [letter.eventId, letter.agency, letter.partnership, letter.eventType, letter.url, letter.attempts, letter.reason, letter.failedAt],
    );
  }
}

/**
 * Dead letters of the given partnerships, newest first, keyset-paginated on (failed_at, event_id,
 * agency). A letter without a partnership (written before it was kept, or whose event could not be
 * read) counts as the default partnership's, as a webhook set before webhooks were per partnership does.
 */
export async function listDeadLetters(
  db: Database,
  limit: number,
  scope: { partnerships: readonly string[]; defaultPartnership: string },
  after?: { failedAt: string; eventId: string; agency: string },
): Promise<DeadLetter[]> {
  const schema = quoteIdent(db.schema);
  const rows = await query<{ event_id: string; agency: string; partnership: string | null; event_type: string; url: string | null; attempts: number; reason: string; failed_at: Date }>(
    db,
    `SELECT event_id, agency, partnership, event_type, url, attempts, reason, failed_at FROM ${schema}.webhook_dead_letters
      WHERE COALESCE(partnership, $5::text) = ANY($6::text[])
        AND ($2::timestamptz IS NULL OR (failed_at, event_id::text, agency) < ($2::timestamptz, $3::text, $4::text))
      ORDER BY failed_at DESC, event_id::text DESC, agency DESC LIMIT $1`,
    [limit, after?.failedAt ?? null, after?.eventId ?? null, after?.agency ?? null, scope.defaultPartnership, [...scope.partnerships]],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    agency: row.agency,
    partnership: row.partnership,
    eventType: row.event_type,
    url: row.url,
    attempts: row.attempts,
    reason: row.reason,
    failedAt: row.failed_at.toISOString(),
  }));
}
