import { FixedClock } from './clock';
import { ClockGuard } from './clock-guard';

const YEAR = 365.25 * 86_400_000;

/** A wall clock and a monotonic clock the test moves, together or apart, and a database clock. */
function rig(options: { database?: boolean } = {}) {
  const wall = new FixedClock(new Date('2026-12-07T03:00:00Z'));
  let monotonic = 1_000;
  let databaseOffset = 0;
  const jumps: string[] = [];
  let recoveries = 0;
  const guard = new ClockGuard(wall, {
    toleranceMs: 60_000,
    monotonic: () => monotonic,
    databaseNow: options.database ? async () => new Date(wall.now().getTime() - databaseOffset) : undefined,
    onJump: (reason) => jumps.push(reason),
    onRecover: () => (recoveries += 1),
  });
  return {
    guard,
    jumps,
    recoveries: () => recoveries,
    /** Time passes: both clocks move. */
    pass(ms: number) {
      wall.advance(ms);
      monotonic += ms;
    },
    /** The wall clock is set: only it moves. */
    jump(ms: number) {
      wall.advance(ms);
    },
    /** The wall clock moves but the database's does not. */
    jumpAwayFromDatabase(ms: number) {
      wall.advance(ms);
      databaseOffset += ms;
    },
  };
}

describe('ClockGuard', () => {
  it('trusts a clock that advances with the monotonic clock, however long between checks', async () => {
    const r = rig({ database: true });
    expect(await r.guard.check()).toEqual({ ok: true });
    r.pass(3_600_000);
    expect(await r.guard.check()).toEqual({ ok: true });
    r.pass(30_000);
    r.jump(20_000); // an NTP correction within the tolerance
    expect(await r.guard.check()).toEqual({ ok: true });
    expect(r.jumps).toEqual([]);
  });

  it('holds jobs when the wall clock jumps 7 years forward, keeps holding while it stays there, and alerts once', async () => {
    const r = rig();
    await r.guard.check();
    r.pass(60_000);
    r.jump(7 * YEAR);
    const held = await r.guard.check();
    expect(held).toEqual({ ok: false, reason: expect.stringMatching(/^the wall clock jumped forward 2556\.\d days/) });
    // Time passes at the new setting: the jump is still there against the last trusted reading.
    r.pass(70_000);
    expect((await r.guard.check()).ok).toBe(false);
    expect(r.guard.status.ok).toBe(false);
    expect(r.jumps).toHaveLength(1);
  });

  it('holds jobs when the wall clock is set 3 hours back, and lets them run once it is corrected', async () => {
    const r = rig();
    await r.guard.check();
    r.pass(10_000);
    r.jump(-3 * 3_600_000);
    expect(await r.guard.check()).toEqual({ ok: false, reason: expect.stringMatching(/^the wall clock jumped back 3\.0 hours/) });
    r.pass(5_000);
    r.jump(3 * 3_600_000);
    expect(await r.guard.check()).toEqual({ ok: true });
    expect(r.recoveries()).toBe(1);
  });

  it('holds jobs when the wall clock disagrees with the database server\'s, even on the first check after a start', async () => {
    const r = rig({ database: true });
    r.jumpAwayFromDatabase(7 * YEAR);
    expect(await r.guard.check()).toEqual({ ok: false, reason: expect.stringMatching(/from the database server's 2026-12-07T03:00:00\.000Z$/) });
  });
});
