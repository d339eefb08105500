import type { SystemCommands } from '@tasking/application';
import { JobsService, commandEscalator, importReferences, type JobsDependencies, type JobsOptions } from '@tasking/jobs';
import type { ReadModels } from '@tasking/projections';
import { WebhookSecrets } from '@tasking/personal-data';

export interface CreateJobsOptions extends Partial<JobsOptions> {
  /** A runtime on a schema of its own (tests): jobs only when asked. */
  ownSchema: boolean;
}

/**
 * The jobs of a runtime. Who runs the reactor and workers: by default the API process unless
 * WORKER_MODE=separate (then apps/worker). A runtime opened on a schema of its own (test suites
 * sharing one Redis) runs them only when asked, so suites neither take each other's jobs nor get
 * system events appended behind their backs.
 */
export function createJobs(
  runtime: Pick<JobsDependencies, 'config' | 'clock' | 'db' | 'store' | 'projections' | 'clockGuard'> & { systemCommands: SystemCommands; readModels: ReadModels },
  options: CreateJobsOptions,
): JobsService {
  const { config } = runtime;
  const run = options.run ?? (config.workerMode !== 'separate' && !options.ownSchema);
  return new JobsService(
    {
      config,
      clock: runtime.clock,
      db: runtime.db,
      store: runtime.store,
      projections: runtime.projections,
      secrets: new WebhookSecrets(runtime.db, config),
      escalator: commandEscalator(runtime.systemCommands),
      clockGuard: runtime.clockGuard,
      importReferences: importReferences(runtime.store, runtime.readModels),
    },
    { ...options, run, queues: options.queues ?? (run || config.workerMode === 'separate') },
  );
}
