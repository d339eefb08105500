import type { ReadModelModule } from '../read-model-schema';
import { Meetings1764000000300 } from '../migrations/1764000000300-meetings';
import { AttendanceApologies1764000007100 } from '../migrations/1764000007100-attendance-apologies';
import { MeetingAttendeeEntity, MeetingEntity, MeetingProblemEntity } from './meetings.entities';
import { meetingsProjection } from './meetings.projection';

export const meetingsReadModel: ReadModelModule = {
  name: 'meetings',
  entities: [MeetingEntity, MeetingAttendeeEntity, MeetingProblemEntity],
  migrations: [Meetings1764000000300, AttendanceApologies1764000007100],
  projections: [meetingsProjection],
};

export { MeetingAttendeeEntity, MeetingEntity, MeetingProblemEntity, meetingsProjection };
export { FindMeetingRowHandler, FindMeetingRowQuery, FindMeetingsHandler, FindMeetingsQuery, MeetingRecordHandler, MeetingRecordQuery, UpcomingMeetingsHandler, UpcomingMeetingsQuery } from './meetings.queries';
export type { MeetingFilters, MeetingRecord } from './meetings.queries';
