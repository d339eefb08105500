import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { insertRowsIfAbsent } from '../sql';
import { MeetingsBatch, foldMeetingsEvent, meetingKeys } from './meetings.fold';

/**
 * Meeting records: the meeting, its attendance and the problems tabled at it. The actions agreed
 * at a meeting are the `actions` rows carrying its meeting_id (the problems projection).
 */
export const meetingsProjection: Projection = {
  name: 'meetings',
  tables: ['meetings', 'meeting_attendees', 'meeting_problems'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    const batch = new MeetingsBatch();
    await batch.meetings.load(tx, meetingKeys(events));
    for (const event of events) foldMeetingsEvent(batch, event);
    await batch.meetings.flush(tx);
    await insertRowsIfAbsent(tx, 'meeting_attendees', batch.attendees);
    await insertRowsIfAbsent(tx, 'meeting_problems', batch.tabled);
  },
};
