import { randomUUID } from 'node:crypto';
import { assignAction, meetingScheduled, raiseProblem } from '../../../../../test/support/fixtures';
import { openTestApp, type TestApp } from '../../../../../test/support/test-runtime';

describe('meeting queries', () => {
  let t: TestApp;
  let inspector: string;
  const meetingId = randomUUID();
  const laterMeeting = randomUUID();
  const hiddenMeeting = randomUUID();
  let problemId: string;
  let actionIds: string[];

  beforeAll(async () => {
    t = await openTestApp();
    inspector = await t.token();
    const store = t.runtime.store;
    await t.append(`meeting-${meetingId}`, [
      meetingScheduled(meetingId, { heldOn: '2025-03-05' }),
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'Insp Jane Hart', agency: 'POLICE' }, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }] } },
    ]);
    await t.append(`meeting-${laterMeeting}`, [meetingScheduled(laterMeeting, { heldOn: '2025-03-19T18:00:00Z', groupCode: 'edmonton-npg' })]);
    await t.append(`meeting-${hiddenMeeting}`, [meetingScheduled(hiddenMeeting, { partnership: 'elsewhere', heldOn: '2025-03-06' })]);
    problemId = (await raiseProblem(store)).problemId;
    await t.append(`problem-${problemId}`, [{ type: 'ProblemTabled', data: { meetingId } }]);
    actionIds = [
      (await assignAction(store, problemId, { agency: 'FIRE', meetingId })).actionId,
      (await assignAction(store, problemId, { agency: 'COUNCIL-ASB', meetingId })).actionId,
      (await assignAction(store, problemId, { agency: 'FIRE', meetingId })).actionId,
    ];
    await assignAction(store, problemId, { agency: 'POLICE' }); // agreed outside a meeting
    const closed = await t.append(`meeting-${meetingId}`, [{ type: 'MeetingClosed', data: { minutesNote: 'three actions agreed' } }]);
    await t.caughtUp(closed.position);
  });
  afterAll(() => t.close());

  it('lists meetings of the caller partnerships, latest first, by group and window', async () => {
    const all = await t.get('/v1/meetings', { token: inspector });
    expect(all.status).toBe(200);
    expect(all.body.items.map((m: { id: string }) => m.id)).toEqual([laterMeeting, meetingId]);
    expect(all.body.items[1]).toMatchObject({ heldOn: '2025-03-05', groupCode: 'enfield-safe', status: 'closed', minutesNote: 'three actions agreed' });
    const window = await t.get('/v1/meetings?from=2025-03-01&to=2025-03-10', { token: inspector });
    expect(window.body.items.map((m: { id: string }) => m.id)).toEqual([meetingId]);
    const group = await t.get('/v1/meetings?groupCode=edmonton-npg', { token: inspector });
    expect(group.body.items.map((m: { id: string }) => m.id)).toEqual([laterMeeting]);
    expect((await t.get('/v1/meetings?from=March', { token: inspector })).status).toBe(400);
  });

  it('answers a meeting record: attendance, tabled problems, actions agreed per agency', async () => {
    const response = await t.get(`/v1/meetings/${meetingId}`, { token: inspector });
    expect(response.status).toBe(200);
    expect(response.body.attendees).toEqual([
      { name: 'Insp Jane Hart', agency: 'POLICE' },
      { name: 'Sam Patel', agency: 'COUNCIL-ASB' },
    ]);
    expect(response.body.problems.map((p: { id: string }) => p.id)).toEqual([problemId]);
    expect(response.body.actionsByAgency.map((group: { agency: string; actions: { id: string }[] }) => [group.agency, group.actions.map((a) => a.id).sort()])).toEqual([
      ['COUNCIL-ASB', [actionIds[1]]],
      ['FIRE', [actionIds[0], actionIds[2]].sort()],
    ]);
    expect(response.headers['x-projection-position']).toEqual(expect.any(String));
  });

  it('hides a meeting of another partnership', async () => {
    expect((await t.get(`/v1/meetings/${hiddenMeeting}`, { token: inspector })).status).toBe(404);
    expect((await t.get(`/v1/meetings/${randomUUID()}`, { token: inspector })).status).toBe(404);
  });
});
