import { openReadModels, ProjectionRunner, readModelSchema } from '@tasking/projections';
import { raiseProblem } from '../../../../test/support/fixtures';
import { openTestDatabase } from '../../../../test/support/test-database';
import { openTestApp } from '../../../../test/support/test-runtime';

describe('read-your-writes with the projections in another process (WORKER_MODE=separate)', () => {
  it('waits for the worker to apply the position', async () => {
    const t = await openTestApp({ env: { WORKER_MODE: 'separate' } });
    const worker = await openTestDatabase({ schema: t.runtime.db.schema });
    const workerModels = await openReadModels(worker.db, readModelSchema);
    const runner = new ProjectionRunner(worker.store, workerModels, { logger: { warn: () => undefined, error: () => undefined } });
    try {
      await runner.start();
      const inspector = await t.token();
      const { problemId, result } = await raiseProblem(t.runtime.store);
      const response = await t.get(`/v1/problems/${problemId}`, { token: inspector, headers: { 'x-min-position': result.position } });
      expect(response.status).toBe(200);
      expect(String(response.headers['x-projection-position']) >= result.position).toBe(true);
    } finally {
      await runner.stop();
      await workerModels.close();
      await worker.store.close();
      await worker.db.close();
      await t.close();
    }
  });
});
