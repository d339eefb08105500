import { DeciderSpecification } from '../testing/specification';
import { NOW, PARTNERSHIP, admin, agencyRegistered, inspector } from '../testing/fixtures';
import type { AgencyEvent } from './agency.events';
import { decideAgency, isAcceptableWebhookUrl } from './agency.decide';
import { evolveAgency, initialAgencyState, webhookUrlFor } from './agency.state';

const given = DeciderSpecification.for(decideAgency, evolveAgency, initialAgencyState);

const register = { type: 'RegisterAgency', actor: admin, now: NOW, code: 'COUNCIL-ASB', name: 'Agency COUNCIL-ASB', kind: 'local-authority' } as const;
const registered = agencyRegistered();
const deactivated: AgencyEvent = { type: 'AgencyDeactivated', data: { reason: 'Service merged' } };

describe('agency', () => {
  describe('RegisterAgency', () => {
    it('registers an agency', () => {
      given([]).when(register).then(registered);
    });

    it('sets the webhook in the same decision, without the secret', () => {
      given([])
        .when({ ...register, webhookUrl: 'https://hooks.council.example/tasking', webhookPartnership: PARTNERSHIP })
        .then([registered, { type: 'AgencyWebhookSet', data: { url: 'https://hooks.council.example/tasking', partnership: PARTNERSHIP } }]);
    });

    it("answers not found for a webhook of a partnership the admin does not hold", () => {
      given([]).when({ ...register, webhookUrl: 'https://hooks.council.example/tasking', webhookPartnership: 'elsewhere' }).thenFails('NOT_FOUND');
    });

    it('refuses a code already registered', () => {
      given([registered]).when(register).thenFails('ALREADY_EXISTS');
    });

    it('refuses an unknown kind', () => {
      given([]).when({ ...register, kind: 'army' as never }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an inspector', () => {
      given([]).when({ ...register, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('SetAgencyWebhook', () => {
    const set = { type: 'SetAgencyWebhook', actor: admin, now: NOW, url: 'http://localhost:9000/hook', partnership: PARTNERSHIP } as const;

    it('sets the webhook url of a partnership', () => {
      given([registered]).when(set).then({ type: 'AgencyWebhookSet', data: { url: 'http://localhost:9000/hook', partnership: PARTNERSHIP } });
    });

    it('answers not found for a partnership the admin does not hold', () => {
      given([registered]).when({ ...set, partnership: 'elsewhere' }).thenFails('NOT_FOUND');
    });

    it.each(['ftp://hooks.example/x', 'https://user:pass@hooks.example/x', 'https://token@hooks.example/x', 'not a url', 'javascript:alert(1)'])(
      'refuses %s',
      (url) => {
        given([registered]).when({ ...set, url }).thenFails('VALIDATION_FAILED');
      },
    );

    it('answers not found for an unregistered agency', () => {
      given([]).when(set).thenFails('NOT_FOUND');
    });

    it('refuses an inspector', () => {
      given([registered]).when({ ...set, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('DeactivateAgency', () => {
    const deactivate = { type: 'DeactivateAgency', actor: admin, now: NOW, reason: 'Service merged', servedPartnerships: [PARTNERSHIP] } as const;

    it('deactivates an active agency', () => {
      given([registered]).when(deactivate).then(deactivated);
    });

    it('deactivates an agency serving no partnership yet', () => {
      given([registered]).when({ ...deactivate, servedPartnerships: [] }).then(deactivated);
    });

    it('refuses an admin who does not hold every partnership the agency serves', () => {
      given([registered]).when({ ...deactivate, servedPartnerships: [PARTNERSHIP, 'elsewhere'] }).thenFails('FORBIDDEN_ROLE');
    });

    it('decides nothing for an inactive agency', () => {
      given([registered, deactivated]).when(deactivate).thenNothing();
    });

    it('answers not found for an unregistered agency', () => {
      given([]).when(deactivate).thenFails('NOT_FOUND');
    });

    it('refuses an inspector', () => {
      given([registered]).when({ ...deactivate, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });
  });

  it('evolves: webhook and deactivation', () => {
    const state = [registered, { type: 'AgencyWebhookSet', data: { url: 'https://a.example/h' } } as const, deactivated].reduce(
      evolveAgency,
      initialAgencyState,
    );
    expect(state).toEqual({
      status: 'inactive',
      revision: 2,
      code: 'COUNCIL-ASB',
      name: 'Agency COUNCIL-ASB',
      kind: 'local-authority',
      webhookUrl: 'https://a.example/h',
      deactivationReason: 'Service merged',
    });
  });

  it('evolves: one webhook per partnership; one set before webhooks were per partnership serves the default partnership alone', () => {
    const state = [
      registered,
      { type: 'AgencyWebhookSet', data: { url: 'https://legacy.example/h' } } as const,
      { type: 'AgencyWebhookSet', data: { url: 'https://north.example/h', partnership: 'north' } } as const,
    ].reduce(evolveAgency, initialAgencyState);
    expect(webhookUrlFor(state, 'north', 'default')).toBe('https://north.example/h');
    expect(webhookUrlFor(state, 'default', 'default')).toBe('https://legacy.example/h');
    expect(webhookUrlFor(state, 'south', 'default')).toBeUndefined();
    const own = evolveAgency(state, { type: 'AgencyWebhookSet', data: { url: 'https://default.example/h', partnership: 'default' } });
    expect(webhookUrlFor(own, 'default', 'default')).toBe('https://default.example/h');
    expect(webhookUrlFor(own, 'north', 'default')).toBe('https://north.example/h');
  });

  it('accepts http and https urls without credentials', () => {
    expect(isAcceptableWebhookUrl('https://hooks.example:8443/a?b=c')).toBe(true);
    expect(isAcceptableWebhookUrl('https://:pw@hooks.example/a')).toBe(false);
  });
});
