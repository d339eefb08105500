import { UnrecoverableError, type Job } from 'bullmq';
import type { Database, EventStore } from '@tasking/event-store';
import { query, quoteIdent } from '../job-tables';
import type { NotificationJobData } from '../queues';
import type { JobsLogger } from '../redis';
import { ForbiddenTargetError } from './address-policy';
import { foldAgency, notificationBody } from './notification-payload';
import { sendWebhook, type WebhookClientOptions } from './webhook-client';

/** Where the plain webhook secret comes from (the encrypted `agency_webhook_secrets` table). */
export interface WebhookSecretSource {
  reveal(agencyCode: string): Promise<string | undefined>;
}

export type NotificationOutcome =
  | { kind: 'already-acknowledged' }
  | { kind: 'delivered'; status: number; attempt: number }
  | { kind: 'logged' }
  | { kind: 'no-action' };

export interface DeadLetter {
  eventId: string;
  agency: string;
  eventType: string;
  url: string | null;
  attempts: number;
  reason: string;
  failedAt: string;
}

/**
 * Delivers one notification to one agency: skips it if acknowledged before, else POSTs the
 * signed body (signed afresh at every attempt) or, when the agency has no webhook, writes a log
 * line; records the acknowledgement. The last failed attempt (or a refused target) writes a dead
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
  ) {
    this.schema = quoteIdent(db.schema);
  }

  async process(job: Job<NotificationJobData>): Promise<NotificationOutcome> {
    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const data = job.data;
    let url: string | null = null;
    try {
      return await this.deliver(data, attempt, (u) => (url = u));
    } catch (error) {
      const refused = error instanceof ForbiddenTargetError;
      if (refused || lastAttempt) {
        await this.deadLetter({
          eventId: data.eventId,
          agency: data.agency,
          eventType: data.type,
          url,
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

  async deliver(data: NotificationJobData, attempt: number, noteUrl: (url: string) => void = () => undefined): Promise<NotificationOutcome> {
    if (await this.acknowledged(data.eventId, data.agency)) return { kind: 'already-acknowledged' };
    const body = await notificationBody(this.store, data);
    if (!body) return { kind: 'no-action' };
    const agency = foldAgency(await this.store.read(`agency-${data.agency}`));
    const url = agency.status === 'none' ? undefined : agency.webhookUrl;
    if (!url) {
      this.logger.info(`notification (log transport) ${data.type} ${data.eventId} for agency ${data.agency}: action ${body.action.id}, due ${body.action.dueBy}, ${body.action.status}`);
      await this.acknowledge(data, 'log', null, null, attempt);
      return { kind: 'logged' };
    }
    noteUrl(url);
    const secret = await this.secrets.reveal(data.agency);
    // The command stores the secret just after appending the event that sets the URL: wait for it.
    if (!secret) throw new Error(`agency ${data.agency} has a webhook URL but no secret stored yet`);
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
      `INSERT INTO ${this.schema}.webhook_dead_letters (event_id, agency, event_type, url, attempts, reason, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (event_id, agency) DO UPDATE SET url = EXCLUDED.url, attempts = EXCLUDED.attempts, reason = EXCLUDED.reason, failed_at = EXCLUDED.failed_at`,
      [letter.eventId, letter.agency, letter.eventType, letter.url, letter.attempts, letter.reason, letter.failedAt],
    );
  }
}

/** Dead letters, newest first, keyset-paginated on (failed_at, event_id, agency). */
export async function listDeadLetters(db: Database, limit: number, after?: { failedAt: string; eventId: string; agency: string }): Promise<DeadLetter[]> {
  const schema = quoteIdent(db.schema);
  const rows = await query<{ event_id: string; agency: string; event_type: string; url: string | null; attempts: number; reason: string; failed_at: Date }>(
    db,
    `SELECT event_id, agency, event_type, url, attempts, reason, failed_at FROM ${schema}.webhook_dead_letters
      WHERE $2::timestamptz IS NULL OR (failed_at, event_id::text, agency) < ($2::timestamptz, $3::text, $4::text)
      ORDER BY failed_at DESC, event_id::text DESC, agency DESC LIMIT $1`,
    [limit, after?.failedAt ?? null, after?.eventId ?? null, after?.agency ?? null],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    agency: row.agency,
    eventType: row.event_type,
    url: row.url,
    attempts: row.attempts,
    reason: row.reason,
    failedAt: row.failed_at.toISOString(),
  }));
}
