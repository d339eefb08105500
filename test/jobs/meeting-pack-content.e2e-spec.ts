import { StoryClock } from '../support/story-clock';
import { startJobsApp, type JobsApp } from './support/jobs-app';
import { assign, expectStatus, people, raiseProblem, referenceData, type People } from './support/story';

const DAY = 86_400_000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

/**
 * The pack's content and its media types, built in the API process (no Redis): attendance with
 * agency names, the window from the group's last meeting held, and actions discharged and in
 * process per agency.
 */
describe('the tasking-meeting pack: content and media types', () => {
  let t: JobsApp;
  let p: People;
  const clock = new StoryClock();
  const ids: Record<string, string> = {};
  let heldOn = '';

  const meeting = async (heldOn: string, held: boolean) => {
    const scheduled = await t.request('POST', '/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn, chair: 'Insp Jane Hart' } });
    expectStatus(scheduled, 201, 'meeting');
    const id = scheduled.body.id as string;
    if (held) expectStatus(await t.request('POST', `/v1/meetings/${id}/close`, { token: p.inspector, body: { minutesNote: '' } }), 200, 'close meeting');
    return id;
  };
  const discharge = async (actionId: string, agency: string, day: number) => {
    const token = await t.token({ sub: `u-${agency}`, name: `Officer ${agency}`, agency, roles: ['officer'], partnerships: ['default'] });
    clock.hold(at(day - 0.01));
    expectStatus(await t.request('POST', `/v1/actions/${actionId}/claim`, { token }), 200, 'claim');
    clock.hold(at(day + 0.01));
    expectStatus(await t.request('POST', `/v1/actions/${actionId}/discharge`, { token, body: { result: 'completed', note: 'done', dischargedAt: at(day) } }), 200, 'discharge');
  };
  const pack = (meetingId: string, headers: Record<string, string> = {}, query = '') =>
    t.request('GET', `/v1/meetings/${meetingId}/pack${query}`, { token: p.manager, headers });

  beforeAll(async () => {
    t = await startJobsApp({ REDIS_URL: 'redis://127.0.0.1:1' }, { clock });
    p = await people(t);
    await referenceData(t, p);
    clock.hold(at(-40 + 0.01));
    const problem = await raiseProblem(t, p, { raisedAt: at(-40) });
    clock.hold(at(-39));
    const early = await assign(t, p, problem, 'FIRE', at(5));
    const recent = await assign(t, p, problem, 'COUNCIL-ASB', at(5));
    await assign(t, p, problem, 'COUNCIL-ASB', at(10));
    await assign(t, p, problem, 'POLICE', at(10));
    await discharge(early, 'FIRE', -20);
    await discharge(recent, 'COUNCIL-ASB', -3);
    clock.hold(undefined);

    ids['first'] = await meeting(at(-60), false); // the group's first meeting: none held before it
    heldOn = at(-7);
    ids['held'] = await meeting(heldOn, true);
    ids['skipped'] = await meeting(at(-1), false); // scheduled, never held
    ids['current'] = await meeting(at(1), false);
    const attendance = { attendees: [{ name: 'Sgt Amy Cole', agency: 'POLICE' }, { name: 'Raj Shah', agency: 'COUNCIL-ASB' }] };
    expectStatus(await t.request('POST', `/v1/meetings/${ids['current']}/attendance`, { token: p.inspector, body: attendance }), 200, 'attendance');
    const [last] = await t.rows<{ position: string }>(
      `SELECT lpad(transaction_id::text, 20, '0') || '-' || lpad(sequence::text, 20, '0') AS position FROM ${t.schema}.events ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
    );
    expect(await t.runtime.projections.waitFor(last!.position, 30_000)).toBe(true);
  }, 60_000);
  afterAll(() => t?.close());

  it('lists the attendance recorded, with agency names, as the meeting record shows it', async () => {
    const answer = await pack(ids['current']!);
    expect(answer.status).toBe(200);
    expect(answer.body.attendance).toEqual([
      { name: 'Sgt Amy Cole', agency: 'POLICE', agencyName: 'Agency POLICE' },
      { name: 'Raj Shah', agency: 'COUNCIL-ASB', agencyName: 'Agency COUNCIL-ASB' },
    ]);
    const record = await t.request('GET', `/v1/meetings/${ids['current']}`, { token: p.council });
    expect(record.body.attendees).toEqual(answer.body.attendance.map(({ name, agency }: { name: string; agency: string }) => ({ name, agency })));
  });

  it('counts from the last meeting held, not from one scheduled and not held', async () => {
    const { body } = await pack(ids['current']!);
    expect(body.previousMeeting.id).toBe(ids['held']);
    expect(body.window).toEqual({ from: heldOn, to: expect.any(String), since: 'previous-meeting' });
    expect(body.discharged.byAgency).toEqual([{ agency: 'COUNCIL-ASB', agencyName: 'Agency COUNCIL-ASB', discharged: 1, onTime: 1 }]);
    expect(body.inProcess).toEqual({
      total: 2,
      byAgency: [
        { agency: 'COUNCIL-ASB', agencyName: 'Agency COUNCIL-ASB', inProcess: 1 },
        { agency: 'POLICE', agencyName: 'Agency POLICE', inProcess: 1 },
      ],
    });
  });

  it('counts the last 28 days when the group held no meeting before', async () => {
    const { body } = await pack(ids['first']!);
    expect(body.previousMeeting).toBeNull();
    expect(body.window.since).toBe('last-28-days');
    expect(Date.parse(body.window.to) - Date.parse(body.window.from)).toBe(28 * DAY);
    // 60 days back nothing was discharged yet, and the four actions were not yet assigned.
    expect(body.discharged.total).toBe(0);
    expect(body.inProcess.total).toBe(0);
  });

  it('says the window and shows the figures per agency side by side in the HTML', async () => {
    const html = await pack(ids['current']!, {}, '?format=html');
    expect(html.text).toContain(`figures since the previous meeting, ${heldOn.slice(0, 10)}`);
    expect(html.text).toContain('<h2>Attendance</h2>');
    expect(html.text).toContain('<tr><td>Sgt Amy Cole</td><td>Agency POLICE</td></tr>');
    expect(html.text).toContain('<tr><td>Agency COUNCIL-ASB</td><td>1</td><td>1</td><td>1</td></tr>');
    expect(html.text).not.toContain('Agency FIRE'); // its discharge came before the previous meeting
  });

  it('builds again a pack stored in the earlier shape, without attendance or in-process figures', async () => {
    await pack(ids['current']!);
    await t.rows(`UPDATE ${t.schema}.meeting_packs SET pack = pack - 'attendance' - 'inProcess' WHERE meeting_id = $1`, [ids['current']]);
    const { body } = await pack(ids['current']!);
    expect(body.attendance).toHaveLength(2);
    expect(body.inProcess.total).toBe(2);
  });

  it('answers HTML to a client preferring text/html, JSON otherwise, and ?format= wins', async () => {
    const browser = await pack(ids['current']!, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(browser.headers['content-type']).toMatch(/^text\/html/);
    expect(browser.headers['vary']).toMatch(/accept/i);
    expect(browser.text).toContain('<h2>Attendance</h2>');
    for (const accept of ['application/json', '*/*', 'application/json, text/html;q=0.5', '']) {
      const answer = await pack(ids['current']!, accept ? { accept } : {});
      expect([accept, answer.headers['content-type']]).toEqual([accept, expect.stringMatching(/^application\/json/)]);
    }
    expect((await pack(ids['current']!, { accept: 'text/html' }, '?format=json')).headers['content-type']).toMatch(/^application\/json/);
    expect((await pack(ids['current']!, { accept: 'application/json' }, '?format=html')).headers['content-type']).toMatch(/^text\/html/);
  });
});
