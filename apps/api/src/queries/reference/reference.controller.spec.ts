import { PROBLEM_CATEGORIES, TACTICS } from '@tasking/domain';
import { agencyRegistered } from '../../../../../test/support/fixtures';
import { openTestApp, type TestApp } from '../../../../../test/support/test-runtime';

describe('reference data queries', () => {
  let t: TestApp;
  let officer: string;

  beforeAll(async () => {
    t = await openTestApp();
    officer = await t.token({ roles: ['officer'], agency: 'FIRE' });
    for (const code of ['POLICE', 'FIRE', 'COUNCIL-ASB']) await t.append(`agency-${code}`, [agencyRegistered(code)]);
    await t.append('agency-FIRE', [{ type: 'AgencyWebhookSet', data: { url: 'https://fire.example/hook' } }]);
    await t.append('group-enfield-safe', [{ type: 'TaskingGroupRegistered', data: { code: 'enfield-safe', partnership: 'default', name: 'Enfield SAFE', areaCodes: ['enfield-town'] } }]);
    await t.append('group-far-away', [{ type: 'TaskingGroupRegistered', data: { code: 'far-away', partnership: 'elsewhere', name: 'Far', areaCodes: [] } }]);
    await t.append('area-enfield-town', [{ type: 'AreaRegistered', data: { code: 'enfield-town', name: 'Enfield Town', partnership: 'default', centroid: { lat: 51.65, lng: -0.08 } } }]);
    const last = await t.append('area-far-town', [{ type: 'AreaRegistered', data: { code: 'far-town', name: 'Far Town', partnership: 'elsewhere', centroid: { lat: 52, lng: -1 } } }]);
    await t.caughtUp(last.position);
  });
  afterAll(() => t.close());

  it('lists agencies by code, paged, with the webhook URL for admins only', async () => {
    const first = await t.get('/v1/agencies?limit=2', { token: officer });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      { code: 'COUNCIL-ASB', name: 'Agency COUNCIL-ASB', kind: 'local-authority', active: true },
      { code: 'FIRE', name: 'Agency FIRE', kind: 'local-authority', active: true },
    ]);
    const rest = await t.get(`/v1/agencies?limit=2&cursor=${first.body.nextCursor}`, { token: officer });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ code: 'POLICE' })], nextCursor: null });
    const admin = await t.token({ roles: ['admin'] });
    const asAdmin = await t.get('/v1/agencies', { token: admin });
    expect(asAdmin.body.items.find((a: { code: string }) => a.code === 'FIRE').webhookUrl).toBe('https://fire.example/hook');
  });

  it("shows an admin the webhooks of their own partnerships only", async () => {
    const { position } = await t.append('agency-FIRE', [{ type: 'AgencyWebhookSet', data: { url: 'https://fire.example/elsewhere', partnership: 'elsewhere' } }]);
    await t.caughtUp(position);
    const fire = async (partnerships: string[]) =>
      (await t.get('/v1/agencies', { token: await t.token({ roles: ['admin'], partnerships }) })).body.items.find((a: { code: string }) => a.code === 'FIRE');
    // The webhook set before webhooks were per partnership serves the default partnership alone.
    expect(await fire(['default'])).toMatchObject({ webhooks: { default: 'https://fire.example/hook' }, webhookUrl: 'https://fire.example/hook' });
    expect(await fire(['elsewhere'])).toMatchObject({ webhooks: { elsewhere: 'https://fire.example/elsewhere' }, webhookUrl: 'https://fire.example/elsewhere' });
    const both = await fire(['default', 'elsewhere']);
    expect(both.webhooks).toEqual({ default: 'https://fire.example/hook', elsewhere: 'https://fire.example/elsewhere' });
    expect(both).not.toHaveProperty('webhookUrl');
    const police = (await t.get('/v1/agencies', { token: await t.token({ roles: ['admin'], partnerships: ['elsewhere'] }) })).body.items.find((a: { code: string }) => a.code === 'POLICE');
    expect(police).toMatchObject({ webhooks: { elsewhere: null }, webhookUrl: null });
    expect(JSON.stringify(await fire(['elsewhere']))).not.toContain('fire.example/hook');
  });

  it('lists groups and areas of the caller partnerships only', async () => {
    expect((await t.get('/v1/groups', { token: officer })).body).toEqual({
      items: [{ code: 'enfield-safe', partnership: 'default', name: 'Enfield SAFE', areaCodes: ['enfield-town'] }],
      nextCursor: null,
    });
    expect((await t.get('/v1/areas', { token: officer })).body).toEqual({
      items: [{ code: 'enfield-town', partnership: 'default', name: 'Enfield Town', centroid: { lat: 51.65, lng: -0.08 }, boundary: null, lsoaCodes: [], neighbours: [], externalCode: null }],
      nextCursor: null,
    });
    const both = await t.token({ partnerships: ['default', 'elsewhere'] });
    expect((await t.get('/v1/areas?partnership=elsewhere', { token: both })).body.items.map((a: { code: string }) => a.code)).toEqual(['far-town']);
  });

  it('answers the categories and the tactic taxonomy', async () => {
    const categories = await t.get('/v1/categories', { token: officer });
    expect(categories.body.items.map((c: { code: string }) => c.code)).toEqual([...PROBLEM_CATEGORIES]);
    const tactics = await t.get('/v1/tactics', { token: officer });
    expect(tactics.body.items.flatMap((c: { category: string; names: string[] }) => c.names.map((name) => ({ category: c.category, name })))).toEqual(TACTICS);
  });
});
