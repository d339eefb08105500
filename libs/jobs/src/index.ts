/**
 * Background jobs: the reactor that turns the log into BullMQ jobs, the queues (notifications,
 * deadlines, projection-rebuild, reports) and their processors, and what the HTTP routes need
 * from them (rebuild jobs, meeting packs, dead letters, the dashboard's tickets, Redis status).
 */
export { JobsService } from './jobs';
export type { JobsDependencies, JobsOptions } from './jobs';
export { scrubFailure } from './job-queues';
export type { JobView } from './job-view';
export { PackFailedError } from './pack-jobs';
export type { PackAnswer, PackReference } from './pack-jobs';
export { databaseIdentity, jobsNamespace } from './namespace';
export { DashboardTickets } from './dashboard-tickets';
export type { DashboardTicketOptions } from './dashboard-tickets';
export { RedisConnections, RedisEvictionPolicyError, RedisUnavailableError, assertNoEviction, maxmemoryPolicy, consoleJobsLogger, redactRedisUrl } from './redis';
export type { JobsLogger, RedisState, RedisStatus } from './redis';
export { Reactor } from './reactor';
export type { ReactorHandler, ReactorOptions } from './reactor';
export { jobsFor } from './reactions';
export type { PlannedJob } from './reactions';
export { JOB_MIGRATIONS } from './migrations';
export { QUEUE_KINDS, queueName, notificationJobId, deadlineJobId, packJobId, RETENTION } from './queues';
export type { QueueKind, NotificationJobData, DeadlineJobData, RebuildJobData, PackJobData } from './queues';
export { NotificationProcessor, listDeadLetters } from './notifications/notification.processor';
export type { DeadLetter, NotificationOutcome, WebhookSecretSource } from './notifications/notification.processor';
export { notificationBody } from './notifications/notification-payload';
export type { NotificationBody } from './notifications/notification-payload';
export { sendWebhook, webhookSignature, assertAcceptableUrl } from './notifications/webhook-client';
export type { WebhookClientOptions, WebhookRequest, WebhookResponse } from './notifications/webhook-client';
export { ForbiddenTargetError, forbiddenAddressReason } from './notifications/address-policy';
export { DeadlineProcessor } from './deadlines/deadline.processor';
export type { Escalator, EscalationOutcome, SweepResult } from './deadlines/deadline.processor';
export { commandEscalator } from './deadlines/escalator';
export { buildMeetingPack, MeetingNotFoundError } from './reports/meeting-pack';
export { renderMeetingPackHtml } from './reports/meeting-pack-html';
export { loadMeetingPack, storeMeetingPack } from './reports/meeting-pack-store';
export type { MeetingPack } from './reports/meeting-pack';
export type { StoredPack } from './reports/meeting-pack-store';

// Bulk imports: staged files, runs and the import ledger.
export { CHUNK_BYTES, NO_COUNTS, REJECTED_ROWS_KEPT, listImportFiles, loadImportFile, saveImportProgress, stageImportFile, stagedBytes } from './imports/import-files';
export type { ImportFile, ImportFileMeta, ImportStatus, RejectedRow } from './imports/import-files';
export { ImportRun, IMPORT_BATCH } from './imports/import-run';
export type { ImportReferences, ImportRunOptions } from './imports/import-run';
export { importReferences } from './imports/import-references';
export { ImportJobs } from './import-jobs';
export { importJobId } from './queues';
export type { ImportJobData } from './queues';
