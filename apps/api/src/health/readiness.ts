import { START, type Position } from '@tasking/event-store';
import type { Runtime } from '@tasking/runtime';

/**
 * Start-up is done once `begin()` has been called (migrations ran when the runtime opened; the
 * demo seed, where due, was written before) and every projection has caught up with the log as
 * it stood at that moment. After that, readiness depends only on the databases answering.
 */
export class Readiness {
  private startHead: Position | undefined;
  private caughtUp = false;

  constructor(private readonly runtime: Pick<Runtime, 'store' | 'projections'>) {}

  async begin(): Promise<void> {
    this.startHead = await this.runtime.store.headPosition();
  }

  get started(): boolean {
    return this.startHead !== undefined;
  }

  /** Whether the projections have reached the log as it stood at start; remembered once true. */
  async projectionsCaughtUp(): Promise<{ caughtUp: boolean; startHead: Position; position: Position }> {
    const startHead = this.startHead ?? START;
    const position = await this.runtime.projections.positionOf();
    if (!this.caughtUp && this.startHead !== undefined && position >= startHead) this.caughtUp = true;
    return { caughtUp: this.caughtUp, startHead, position };
  }
}

export const READINESS = Symbol('READINESS');
