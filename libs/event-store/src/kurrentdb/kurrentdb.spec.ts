import { registerEventStoreContract } from '../contract/event-store.contract';
import { KURRENTDB_SKIPS, kurrentDbHarness } from './kurrentdb-contract-harness';

/**
 * The shared contract against a REAL KurrentDB (25.1 or later) at TEST_KURRENTDB_URL, e.g.
 *   TEST_KURRENTDB_URL='kurrentdb://127.0.0.1:2113?tls=false' npx jest libs/event-store/src/kurrentdb/kurrentdb.spec.ts
 * The server must run with MaxAppendSize above the 1 MB event of the contract
 * (KURRENTDB_MAX_APPEND_SIZE=4194304), and the connection's user must read $all.
 *
 * Without the variable the whole suite is reported as skipped, with the reason in its name: no
 * KurrentDB server can be installed on the CI machine (none on npm or Debian, no Docker), and
 * a suite that cannot run must not count as passing. kurrentdb-double.spec.ts runs the same
 * contract against the gRPC test double meanwhile.
 */
const url = process.env.TEST_KURRENTDB_URL;

if (url) {
  describe('kurrentdb contract against a real server (TEST_KURRENTDB_URL)', () => {
    registerEventStoreContract({ setup: () => kurrentDbHarness(url), skip: KURRENTDB_SKIPS });
  });
} else {
  const reason = 'no server: TEST_KURRENTDB_URL unset — no KurrentDB can be installed on this machine';
  // Jest does not print the names of a file's skipped tests: say it once, so the skip is seen.
  console.warn(`kurrentdb contract against a real server SKIPPED (${reason}); the same contract runs against the gRPC test double in kurrentdb-double.spec.ts`);
  describe.skip(`kurrentdb contract (${reason})`, () => {
    registerEventStoreContract({ setup: () => kurrentDbHarness('kurrentdb://unset'), skip: KURRENTDB_SKIPS });
  });
}
