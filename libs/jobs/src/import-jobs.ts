import type { Job } from 'bullmq';
import type { Database } from '@tasking/event-store';
import { listImportFiles, loadImportFile, type ImportFile, type ImportFileMeta } from './imports/import-files';
import type { ImportRun } from './imports/import-run';
import type { JobQueues } from './job-queues';
import { importJobId, RETENTION, type ImportJobData } from './queues';
import { RedisUnavailableError, withTimeout, type JobsLogger } from './redis';

/**
 * Bulk imports as jobs (evidence.md, "Bulk import"): a file staged by the API is run by an
 * `imports` job where Redis and a worker serve (its progress the rows read), and in this process
 * otherwise. Either way the run reads the staged file, so the worker may be another process.
 */
export class ImportJobs {
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly run: ImportRun,
    private readonly queues: JobQueues,
    private readonly logger: JobsLogger,
  ) {}

  /** Stages the file (refusing what cannot be read, leaving nothing), records ImportStarted and queues the run. */
  async start(meta: Omit<ImportFileMeta, 'sentAt'>, body: AsyncIterable<Buffer | string>, maxBytes: number): Promise<{ importId: string }> {
    const { importId } = await this.run.start(meta, body, maxBytes);
    if (this.queues.usable()) {
      try {
        await withTimeout(
          this.queues.queue('imports').add('import', { importId } satisfies ImportJobData, { jobId: importJobId(importId), attempts: 1, ...RETENTION.imports }),
          this.queues.timeoutMs,
          'Redis did not accept the import job',
        );
        return { importId };
      } catch (error) {
        if (!(error instanceof RedisUnavailableError)) throw error;
        this.logger.warn(`import ${importId} runs in this process: ${error.message}`);
      }
    }
    this.runHere(importId);
    return { importId };
  }

  get(importId: string): Promise<ImportFile | undefined> {
    return loadImportFile(this.db, importId);
  }

  list(partnerships: readonly string[], limit: number): Promise<ImportFile[]> {
    return listImportFiles(this.db, partnerships, limit);
  }

  /** Withdraws everything the import recorded; answers how many incidents. */
  withdraw(importId: string, by: string): Promise<number> {
    return this.run.withdraw(importId, by);
  }

  /** The `imports` worker's processor: runs the import, its progress the rows read so far. */
  async process(job: Job<ImportJobData>): Promise<{ importId: string; status?: string }> {
    const file = await this.run.run(job.data.importId, (rowsRead) => job.updateProgress({ rowsRead }));
    return { importId: job.data.importId, status: file?.status };
  }

  /** Resolves when the runs started in this process have ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private runHere(importId: string): void {
    const running = this.run.run(importId).catch((error: unknown) => this.logger.warn(`import ${importId} failed: ${(error as Error).message}`));
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
  }
}
