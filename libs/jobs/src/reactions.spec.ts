import type { EventStore, RecordedEvent } from '@tasking/event-store';
import { FixedClock } from '@tasking/shared';
import { delayUntil, jobsFor } from './reactions';
import { queueName } from './queues';

const event = (stream: string, revision: number, type: string, data: Record<string, unknown>): RecordedEvent => ({
  eventId: `0000000${revision}-0000-4000-8000-000000000000`,
  stream,
  revision,
  type,
  data,
  metadata: {},
  position: `p${revision}`,
  recordedAt: '2030-01-01T00:00:00.000Z',
});

describe('jobs planned for events', () => {
  const stream = 'action-a1b2c3d4-0000-4000-8000-000000000000';
  const history = [
    event(stream, 0, 'ActionAssigned', {
      actionId: 'a1b2c3d4-0000-4000-8000-000000000000', problemId: 'p', partnership: 'x', agency: 'COUNCIL-ASB', description: 'd',
      tactic: { category: 'prevention', name: 'CCTV' }, dueBy: '2030-01-02T00:00:00.000Z', assignedAt: '2030-01-01T00:00:00.000Z',
    }),
    event(stream, 1, 'ActionReassigned', { fromAgency: 'COUNCIL-ASB', toAgency: 'FIRE', reason: 'r' }),
    event(stream, 2, 'ActionDueDateChanged', { dueBy: '2030-01-05T00:00:00.000Z', reason: 'r' }),
    event(stream, 3, 'ActionEscalated', { reason: 'overdue', dueBy: '2030-01-05T00:00:00.000Z', dueByRevision: 2 }),
    event(stream, 4, 'ActionClaimed', { by: { userId: 'u', name: 'n', agency: 'FIRE' } }),
  ];
  const store = { read: async () => history } as unknown as EventStore;

  it('derives ids from the events, without ":" and never digits only', async () => {
    const jobs = await jobsFor(history, store);
    expect(jobs.map((j) => [j.queue, j.jobId])).toEqual([
      ['notifications', 'notify-00000000-0000-4000-8000-000000000000-COUNCIL-ASB'],
      ['deadlines', 'deadline-a1b2c3d4-0000-4000-8000-000000000000-0'],
      ['notifications', 'notify-00000001-0000-4000-8000-000000000000-FIRE'],
      ['deadlines', 'deadline-a1b2c3d4-0000-4000-8000-000000000000-2'],
      ['notifications', 'notify-00000003-0000-4000-8000-000000000000-FIRE'], // the agency it stood with when it escalated
    ]);
    expect(jobs.every((j) => !j.jobId.includes(':') && !/^\d+$/.test(j.jobId))).toBe(true);
    expect(await jobsFor(history, store)).toEqual(jobs); // the same again: nothing new to add
  });

  it('delays deadline jobs by the injected clock', () => {
    const clock = new FixedClock(new Date('2030-01-01T23:00:00Z'));
    expect(delayUntil(Date.parse('2030-01-02T00:00:00Z'), clock)).toBe(3_600_000);
    expect(delayUntil(Date.parse('2029-12-31T00:00:00Z'), clock)).toBe(0);
  });

  it('names queues with the prefix (and the schema when not public)', () => {
    expect(queueName('tasking', 'public', 'notifications')).toBe('tasking-notifications');
    expect(queueName('tasking', 't_abc', 'deadlines')).toBe('tasking-t_abc-deadlines');
  });
});
