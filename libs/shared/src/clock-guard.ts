import type { Clock } from './clock';

/** Why the guard holds destructive jobs back, or that it does not. */
export type ClockCheck = { ok: true } | { ok: false; reason: string };

export interface ClockGuardOptions {
  /** The largest disagreement tolerated between the wall clock and the monotonic or database clock (ms). */
  toleranceMs: number;
  /** The database server's clock (`SELECT now()`); the check is skipped without it. */
  databaseNow?: () => Promise<Date>;
  /** A clock that never jumps, in ms (default `performance.now()`). */
  monotonic?: () => number;
  /** Called once when a jump is first seen (log it, count it). */
  onJump?: (reason: string) => void;
  /** Called once when the clocks agree again. */
  onRecover?: () => void;
}

const span = (ms: number): string => {
  const abs = Math.abs(ms);
  const text = abs >= 86_400_000 ? `${(abs / 86_400_000).toFixed(1)} days` : abs >= 3_600_000 ? `${(abs / 3_600_000).toFixed(1)} hours` : `${Math.round(abs / 1000)} s`;
  return `${ms < 0 ? 'back' : 'forward'} ${text}`;
};

/**
 * Decides whether the wall clock can be trusted for a destructive or mass job (the retention
 * sweep, the deadline sweep and jobs), so that a clock set years ahead cannot erase personal data
 * or escalate every action, and one set back cannot run them on stale dates
 * (docs/security.md, "Times and clocks").
 *
 * Each check compares the wall clock with (1) where the monotonic clock says it should be since
 * the last trusted reading, and (2) the database server's clock. A disagreement beyond the
 * tolerance holds every job back until the wall clock agrees again: the last trusted reading is
 * kept while held, so a clock that jumped and stayed is still refused on every later check. To
 * accept a new time deliberately (the old one was wrong), restart the process once the database
 * server's clock agrees with it.
 */
export class ClockGuard {
  private trusted: { wall: number; monotonic: number } | undefined;
  private held: string | undefined;
  private readonly monotonic: () => number;

  constructor(
    private readonly clock: Clock,
    private readonly options: ClockGuardOptions,
  ) {
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** Whether jobs are held back, and why (for readiness and metrics). */
  get status(): ClockCheck {
    return this.held === undefined ? { ok: true } : { ok: false, reason: this.held };
  }

  async check(): Promise<ClockCheck> {
    const monotonic = this.monotonic();
    const wall = this.clock.now().getTime();
    const reason = this.disagreement(wall, monotonic) ?? (await this.databaseDisagreement(wall));
    if (reason !== undefined) {
      if (this.held === undefined) this.options.onJump?.(reason);
      this.held = reason;
      return { ok: false, reason };
    }
    this.trusted = { wall, monotonic };
    if (this.held !== undefined) {
      this.held = undefined;
      this.options.onRecover?.();
    }
    return { ok: true };
  }

  private disagreement(wall: number, monotonic: number): string | undefined {
    if (this.trusted === undefined) return undefined;
    const expected = this.trusted.wall + (monotonic - this.trusted.monotonic);
    const drift = wall - expected;
    if (Math.abs(drift) <= this.options.toleranceMs) return undefined;
    return `the wall clock jumped ${span(drift)}: it reads ${new Date(wall).toISOString()} where the monotonic clock puts ${new Date(expected).toISOString()}`;
  }

  private async databaseDisagreement(wall: number): Promise<string | undefined> {
    if (this.options.databaseNow === undefined) return undefined;
    const before = this.monotonic();
    const database = (await this.options.databaseNow()).getTime();
    // The database read its clock somewhere during the round trip: allow for it.
    const roundTrip = this.monotonic() - before;
    const offset = wall - database;
    if (Math.abs(offset) <= this.options.toleranceMs + roundTrip) return undefined;
    return `the wall clock reads ${new Date(wall).toISOString()}, ${span(offset)} from the database server's ${new Date(database).toISOString()}`;
  }
}

/** The tolerance the runtime's guard uses: more than NTP ever slews, far less than any harmful jump. */
export const CLOCK_JUMP_TOLERANCE_MS = 60_000;
