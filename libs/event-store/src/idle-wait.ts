import type { EventStore, Position } from './event-store.port';

/**
 * What a reader of the log does when `readAll` found nothing after its position.
 *
 * Usually: wait for the next append (or the safety poll). But a SQL store's readers stop below
 * the oldest transaction still open anywhere on the server, so events already committed and
 * announced can stay hidden for a while, and nobody announces when that older transaction ends.
 * So when the reader has reason to expect events (it was just woken by an append, or its last
 * read returned some) and committed events do lie past its position, it looks again soon,
 * backing off from 10 ms up to the safety poll, instead of waiting up to the full poll.
 */
export class IdleWait {
  private hiddenBackoffMs = 0;
  private expecting = true;

  constructor(
    private readonly store: Pick<EventStore, 'appendTick' | 'waitForAppend' | 'hasEventsAfter'>,
    private readonly safetyPollMs: number,
  ) {}

  /** The last read returned events. */
  reset(): void {
    this.hiddenBackoffMs = 0;
    this.expecting = true;
  }

  /**
   * The reader has read all it could see after `position`; `tick` is the append tick it took
   * before that read. Resolves when it is worth reading again (or the signal aborts).
   */
  async wait(position: Position, tick: number, signal?: AbortSignal): Promise<void> {
    if ((this.expecting || this.hiddenBackoffMs > 0) && (await this.store.hasEventsAfter(position))) {
      this.hiddenBackoffMs = Math.min(Math.max(this.hiddenBackoffMs * 2, 10), this.safetyPollMs);
      // An append meanwhile is as good a reason to look again as the backoff ending.
      await this.store.waitForAppend(this.store.appendTick(), this.hiddenBackoffMs, signal);
      return;
    }
    this.hiddenBackoffMs = 0;
    await this.store.waitForAppend(tick, this.safetyPollMs, signal);
    this.expecting = this.store.appendTick() !== tick;
  }
}
