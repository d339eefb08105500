import type { Clock } from '@tasking/shared';

/** The real clock, or a moment a test holds it at (to record a story at its own dates, in order). */
export class StoryClock implements Clock {
  private held: Date | undefined;

  now(): Date {
    return this.held ? new Date(this.held.getTime()) : new Date();
  }

  /** Hold the clock at this time; `undefined` lets it run again. */
  hold(at: string | undefined): void {
    this.held = at === undefined ? undefined : new Date(at);
  }
}
