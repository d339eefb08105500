import type { MigrationSet } from '@tasking/projections';
import { JobTables1796600001000 } from './1796600001000-job-tables';

import { ImportTables1764000008300 } from './1764000008300-import-tables';

/** The jobs' tables' migrations, recorded in `job_migrations`. */
export const JOB_MIGRATIONS: MigrationSet = { name: 'jobs', table: 'job_migrations', migrations: [
  JobTables1796600001000,

  ImportTables1764000008300,
] };
