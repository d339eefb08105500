import { randomUUID } from 'node:crypto';
import { appendEvents } from '../../../../test/support/events';
import { meetingScheduled, raiseProblem } from '../../../../test/support/fixtures';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';

describe('meetings projection', () => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await openReadSide({ runner: { batchSize: 3 } });
  });
  afterAll(() => side.close());

  it('records the meeting, its attendance without repeats, the problems tabled and its closure', async () => {
    const meetingId = randomUUID();
    const stream = `meeting-${meetingId}`;
    await appendEvents(side.store, stream, [meetingScheduled(meetingId, { heldOn: '2025-03-05' })]);
    await appendEvents(side.store, stream, [
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'Insp Jane Hart', agency: 'POLICE' }, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }] } },
    ]);
    await appendEvents(side.store, stream, [
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'Sam Patel', agency: 'COUNCIL-ASB' }, { name: 'Lee Burns', agency: 'FIRE' }] } },
    ]);
    const first = await raiseProblem(side.store);
    const second = await raiseProblem(side.store);
    await appendEvents(side.store, `problem-${second.problemId}`, [{ type: 'ProblemTabled', data: { meetingId } }]);
    await appendEvents(side.store, `problem-${first.problemId}`, [{ type: 'ProblemTabled', data: { meetingId } }]);
    await appendEvents(side.store, `problem-${first.problemId}`, [{ type: 'ProblemTabled', data: { meetingId } }]);
    const { position } = await appendEvents(side.store, stream, [{ type: 'MeetingClosed', data: { minutesNote: 'agreed three actions' } }]);
    await side.caughtUp(position);

    expect((await side.rows('meetings')).find((row) => row.id === meetingId)).toMatchObject({
      partnership: 'default',
      group_code: 'enfield-safe',
      held_on: '2025-03-05',
      held_at: '2025-03-05T00:00:00+00:00',
      status: 'closed',
      minutes_note: 'agreed three actions',
      revision: 3,
      position,
    });
    const attendees = (await side.rows('meeting_attendees'))
      .filter((row) => row.meeting_id === meetingId)
      .sort((a, b) => String(a.position).localeCompare(String(b.position)) || Number(a.ordinal) - Number(b.ordinal));
    expect(attendees.map((row) => `${row.name} (${row.agency})`)).toEqual(['Insp Jane Hart (POLICE)', 'Sam Patel (COUNCIL-ASB)', 'Lee Burns (FIRE)']);
    const tabled = (await side.rows('meeting_problems'))
      .filter((row) => row.meeting_id === meetingId)
      .sort((a, b) => String(a.position).localeCompare(String(b.position)));
    expect(tabled.map((row) => row.problem_id)).toEqual([second.problemId, first.problemId]);
  });

  it('records apologies and deputies; attendance recorded without a status is present', async () => {
    const meetingId = randomUUID();
    await appendEvents(side.store, `meeting-${meetingId}`, [meetingScheduled(meetingId)]);
    const { position } = await appendEvents(side.store, `meeting-${meetingId}`, [
      {
        type: 'MeetingAttendanceRecorded',
        data: {
          attendees: [
            { name: 'Insp Jane Hart', agency: 'POLICE' },
            { name: 'Sam Patel', agency: 'COUNCIL-ASB', status: 'apologies' },
            { name: 'Cat Jones', agency: 'COUNCIL-ASB', status: 'present', deputisingFor: 'Sam Patel' },
          ],
        },
      },
    ]);
    await side.caughtUp(position);
    const attendees = (await side.rows('meeting_attendees')).filter((row) => row.meeting_id === meetingId).sort((a, b) => Number(a.ordinal) - Number(b.ordinal));
    expect(attendees.map(({ name, status, deputising_for }) => [name, status, deputising_for])).toEqual([
      ['Insp Jane Hart', 'present', null],
      ['Sam Patel', 'apologies', null],
      ['Cat Jones', 'present', 'Sam Patel'],
    ]);
  });
});
