/** Builders of recorded events for the analytics specs: streams, types and data as the command side writes them. */
import { createHash, randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@tasking/event-store';

export class EventLog {
  private position = 0;
  readonly events: RecordedEvent[] = [];

  /** Records an event; `recordedAt` is both the store's time and metadata.recordedAt. */
  add(stream: string, type: string, data: Record<string, unknown>, recordedAt: string): RecordedEvent {
    this.position += 1;
    const event: RecordedEvent = {
      eventId: randomUUID(),
      stream,
      revision: 0,
      type,
      data,
      metadata: { recordedAt, actor: { userId: 'u-test', name: 'Test', agency: 'POLICE', role: 'inspector' } },
      position: String(this.position).padStart(16, '0'),
      recordedAt,
    };
    this.events.push(event);
    return event;
  }

  raise(problemId: string, data: { areaCode: string; category?: string; raisedAt: string; partnership?: string; priority?: string; lat?: number; lng?: number }): void {
    const location: Record<string, unknown> = { areaCode: data.areaCode };
    if (data.lat !== undefined) location['lat'] = data.lat;
    if (data.lng !== undefined) location['lng'] = data.lng;
    this.add(
      `problem-${problemId}`,
      'ProblemRaised',
      {
        problemId,
        partnership: data.partnership ?? 'east',
        title: 'A problem',
        description: 'Described',
        category: data.category ?? 'asb-youth',
        location,
        ...(data.priority ? { priority: data.priority } : {}),
        source: 'tasking-meeting',
        raisedAt: data.raisedAt,
      },
      data.raisedAt,
    );
  }

  prioritise(problemId: string, priority: string, harmScore: number | undefined, at: string): void {
    this.add(`problem-${problemId}`, 'ProblemPrioritised', { priority, ...(harmScore === undefined ? {} : { harmScore }), rationale: 'r' }, at);
  }

  amend(problemId: string, data: Record<string, unknown>, at: string): void {
    this.add(`problem-${problemId}`, 'ProblemAmended', data, at);
  }

  close(problemId: string, outcome: string, closedAt: string, recordedAt = closedAt): void {
    this.add(`problem-${problemId}`, 'ProblemClosed', { outcome, assessment: 'assessed', closedAt }, recordedAt);
  }

  reopen(problemId: string, at: string): void {
    this.add(`problem-${problemId}`, 'ProblemReopened', { reason: 'it came back' }, at);
  }

  assign(
    actionId: string,
    problemId: string,
    data: { agency: string; assignedAt: string; dueBy: string; tactic?: { category: string; name: string }; partnership?: string },
  ): void {
    this.add(`problem-${problemId}`, 'ActionAgreed', { actionId, agency: data.agency }, data.assignedAt);
    this.add(
      `action-${actionId}`,
      'ActionAssigned',
      {
        actionId,
        problemId,
        partnership: data.partnership ?? 'east',
        agency: data.agency,
        description: 'Do it',
        tactic: data.tactic ?? { category: 'prevention', name: 'CCTV' },
        dueBy: data.dueBy,
        assignedAt: data.assignedAt,
      },
      data.assignedAt,
    );
  }

  claim(actionId: string, agency: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionClaimed', { by: { userId: 'u1', name: 'Officer', agency } }, at);
  }

  decline(actionId: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionDeclined', { reasonCode: 'not-our-remit', note: 'no' }, at);
  }

  release(actionId: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionReleased', { reason: 'away' }, at);
  }

  reassign(actionId: string, fromAgency: string, toAgency: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionReassigned', { fromAgency, toAgency, reason: 'remit' }, at);
  }

  changeDue(actionId: string, dueBy: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionDueDateChanged', { dueBy, reason: 'more time' }, at);
  }

  escalate(actionId: string, dueBy: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionEscalated', { reason: 'overdue', dueBy, dueByRevision: 0 }, at);
  }

  intervene(actionId: string, tactic: { category: string; name: string }, occurredAt: string): void {
    this.add(`action-${actionId}`, 'InterventionRecorded', { interventionId: randomUUID(), tactic, description: 'done', occurredAt }, occurredAt);
  }

  discharge(actionId: string, result: string, dischargedAt: string, recordedAt = dischargedAt): void {
    this.add(`action-${actionId}`, 'ActionDischarged', { result, note: 'done', dischargedAt }, recordedAt);
  }

  cancel(actionId: string, at: string): void {
    this.add(`action-${actionId}`, 'ActionCancelled', { reason: 'not needed' }, at);
  }

  area(code: string, partnership: string, centroid: { lat: number; lng: number }, at = '2024-01-01T00:00:00Z'): void {
    this.add(`area-${code}`, 'AreaRegistered', { code, name: `Area ${code}`, partnership, centroid }, at);
  }
}

/** A deterministic uuid from a name, so specs can name their problems and actions. */
export function uuidOf(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
