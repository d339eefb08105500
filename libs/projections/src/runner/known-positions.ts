import type { Position } from '@tasking/event-store';
import { ChangeSignal } from './async';

/** Each projection's checkpoint as this process last saw it; waiters wake when one moves. */
export class KnownPositions {
  private readonly known = new Map<string, Position>();
  private readonly changed = new ChangeSignal();

  get(name: string): Position | undefined {
    return this.known.get(name);
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  note(name: string, position: Position): void {
    if (this.known.get(name) === position) return;
    this.known.set(name, position);
    this.changed.notify();
  }

  /** Resolves on the next move, or after `timeoutMs`. */
  nextChange(timeoutMs: number): Promise<void> {
    return this.changed.wait(timeoutMs);
  }
}
