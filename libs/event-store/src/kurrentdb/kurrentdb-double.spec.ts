import { registerEventStoreContract } from '../contract/event-store.contract';
import { KURRENTDB_SKIPS, kurrentDbHarness } from './kurrentdb-contract-harness';
import { KurrentDbGrpcDouble } from './testing/grpc-double';

/**
 * The shared contract against the kurrentdb adapter talking to the gRPC TEST DOUBLE (not a real
 * KurrentDB: see testing/grpc-double.ts for what it implements). The real client (gRPC for
 * appends and subscriptions, its native bridge for reads) runs unchanged against it. The 1 MB
 * event of the contract needs MaxAppendSize above KurrentDB's 1 MiB default: the double is set
 * to 4 MiB, as docs/scaling.md asks of a deployment.
 */
describe('kurrentdb event store against the gRPC test double', () => {
  let double: KurrentDbGrpcDouble;

  beforeAll(async () => {
    double = await KurrentDbGrpcDouble.start({ maxAppendSize: 4 * 1024 * 1024 });
  });

  afterAll(async () => {
    await double?.stop();
  });

  registerEventStoreContract({
    setup: () => kurrentDbHarness(double.url),
    skip: KURRENTDB_SKIPS,
  });
});
