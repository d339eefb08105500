import { injectJson } from '../support/inject';
import { StoryClock } from '../support/story-clock';
import { startCommandApp, type CommandApp } from './support/command-app';
import { people, registerReferenceData, type People } from './support/fixtures';

describe('group schedules, members and attendance over HTTP', () => {
  let t: CommandApp;
  let p: People;
  const clock = new StoryClock();
  const get = async (url: string, token: string, position?: string) => {
    if (position) expect(await t.runtime.projections.waitFor(position, 20_000)).toBe(true);
    return injectJson(t.app, 'GET', url, { token });
  };
  const enfieldSafe = async (token: string, position?: string) =>
    (await get('/v1/groups', token, position)).body.items.find((g: { code: string }) => g.code === 'enfield-safe');

  beforeAll(async () => {
    t = await startCommandApp({ TIME_ZONE: 'Europe/London' }, { clock });
    p = await people(t);
    clock.hold('2025-03-01T10:00:00Z');
    await registerReferenceData(t, p);
    clock.hold('2025-03-10T10:00:00Z');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('sets a fortnightly schedule and the members, and shows the next meeting by the schedule', async () => {
    const schedule = await t.put('/v1/groups/enfield-safe/schedule', { token: p.inspector, body: { from: '2025-03-05', time: '10:00' } });
    expect(schedule).toMatchObject({ status: 200, body: { id: 'enfield-safe', revision: 1 } });
    const members = await t.put('/v1/groups/Enfield-Safe/members', {
      token: p.admin,
      body: { partnership: 'north', members: [{ name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' }, { name: 'Sam Patel', agency: 'council-asb' }] },
    });
    expect(members).toMatchObject({ status: 200, body: { revision: 2 } });
    expect(await t.events('group-north.enfield-safe')).toMatchObject([
      { type: 'TaskingGroupRegistered' },
      { type: 'GroupScheduleSet', data: { everyDays: 14, from: '2025-03-05', time: '10:00' } },
      { type: 'GroupMembersSet', data: { members: [{ name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' }, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }] } },
    ]);

    const group = await enfieldSafe(p.council, members.body.position);
    expect(group).toEqual({
      code: 'enfield-safe',
      partnership: 'north',
      name: 'Enfield SAFE',
      areaCodes: ['enfield-town', 'edmonton'],
      schedule: { everyDays: 14, from: '2025-03-05', time: '10:00' },
      members: [
        { name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' },
        { name: 'Sam Patel', agency: 'COUNCIL-ASB' },
      ],
      nextMeeting: { date: '2025-03-19', time: '10:00', meeting: null },
    });

    // The same schedule again records nothing.
    const again = await t.put('/v1/groups/enfield-safe/schedule', { token: p.inspector, body: { everyDays: 14, from: '2025-03-05', time: '10:00' } });
    expect(again.status).toBe(200);
    expect(await t.types('group-north.enfield-safe')).toHaveLength(3);
  });

  it('shows the meeting scheduled for the next date, and records apologies and deputies', async () => {
    const scheduled = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-03-19', chair: 'Insp Jane Hart' } });
    expect(scheduled.status).toBe(201);
    const meetingId: string = scheduled.body.id;
    expect((await enfieldSafe(p.inspector, scheduled.body.position)).nextMeeting).toEqual({
      date: '2025-03-19',
      time: '10:00',
      meeting: expect.objectContaining({ id: meetingId, heldOn: '2025-03-19', status: 'open' }),
    });

    const attendance = await t.post(`/v1/meetings/${meetingId}/attendance`, {
      token: p.inspector,
      body: {
        attendees: [
          { name: 'Insp Jane Hart', agency: 'POLICE', status: 'present' },
          { name: 'Sam Patel', agency: 'COUNCIL-ASB', status: 'apologies' },
          { name: 'Cat Jones', agency: 'COUNCIL-ASB', deputisingFor: 'Sam Patel' },
        ],
      },
    });
    expect(attendance.status).toBe(200);
    const record = await get(`/v1/meetings/${meetingId}`, p.inspector, attendance.body.position);
    expect(record.body.attendees).toEqual([
      { name: 'Insp Jane Hart', agency: 'POLICE' },
      { name: 'Sam Patel', agency: 'COUNCIL-ASB', status: 'apologies' },
      { name: 'Cat Jones', agency: 'COUNCIL-ASB', deputisingFor: 'Sam Patel' },
    ]);

    const wrongStatus = await t.post(`/v1/meetings/${meetingId}/attendance`, { token: p.inspector, body: { attendees: [{ name: 'A', agency: 'POLICE', status: 'late' }] } });
    expect(wrongStatus).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses officers, other partnerships, unknown groups and bad bodies, appending nothing', async () => {
    const body = { from: '2025-04-01' };
    expect((await t.put('/v1/groups/enfield-safe/schedule', { token: p.council, body })).body.code).toBe('FORBIDDEN_ROLE');
    expect(await t.put('/v1/groups/enfield-safe/schedule', { token: p.southInspector, body })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await t.put('/v1/groups/nowhere/members', { token: p.inspector, body: { members: [] } })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    for (const bad of [{ from: '2025-02-30' }, { from: '2025-04-01', everyDays: 0 }, { from: '2025-04-01', time: '7pm' }, { everyDays: 14 }]) {
      expect([bad, (await t.put('/v1/groups/enfield-safe/schedule', { token: p.inspector, body: bad })).status]).toEqual([bad, 400]);
    }
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `Member ${i}`, agency: 'POLICE' }));
    expect((await t.put('/v1/groups/enfield-safe/members', { token: p.inspector, body: { members: many } })).status).toBe(400);
    expect((await t.put('/v1/groups/enfield-safe/members', { token: p.inspector, body: { members: [{ name: 'A', agency: 'POLICE', email: 'a@x' }] } })).status).toBe(400);
    expect(await t.types('group-north.enfield-safe')).toHaveLength(3);
  });
});
