import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { insertRowsIfAbsent } from '../sql';
import { streamsToLoad, touchesKinds } from '../streams';
import { MeetingsBatch, foldMeetingsEvent } from './meetings.fold';

/**
 * Meeting records: the meeting, its attendance and the problems tabled at it. The actions agreed
 * at a meeting are the `actions` rows carrying its meeting_id (the problems projection).
 */
export const meetingsProjection: Projection = {
  name: 'meetings',
  tables: ['meetings', 'meeting_attendees', 'meeting_problems'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['meeting', 'problem'])) return;
    const batch = new MeetingsBatch();
    await batch.meetings.load(tx, streamsToLoad(events).get('meeting') ?? []);
    for (const event of events) foldMeetingsEvent(batch, event);
    await batch.meetings.flush(tx);
    await insertRowsIfAbsent(tx, 'meeting_attendees', batch.attendees);
    await insertRowsIfAbsent(tx, 'meeting_problems', batch.tabled);
  },
};
