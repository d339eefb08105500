import { DeciderSpecification } from '../testing/specification';
import { NOW, admin, agencyRegistered, inspector } from '../testing/fixtures';
import type { AgencyEvent } from './agency.events';
import { decideAgency, isAcceptableWebhookUrl } from './agency.decide';
import { evolveAgency, initialAgencyState } from './agency.state';

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
        .when({ ...register, webhookUrl: 'https://hooks.council.example/tasking' })
        .then([registered, { type: 'AgencyWebhookSet', data: { url: 'https://hooks.council.example/tasking' } }]);
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
    const set = { type: 'SetAgencyWebhook', actor: admin, now: NOW, url: 'http://localhost:9000/hook' } as const;

    it('sets the webhook url', () => {
      given([registered]).when(set).then({ type: 'AgencyWebhookSet', data: { url: 'http://localhost:9000/hook' } });
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
    const deactivate = { type: 'DeactivateAgency', actor: admin, now: NOW, reason: 'Service merged' } as const;

    it('deactivates an active agency', () => {
      given([registered]).when(deactivate).then(deactivated);
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

  it('accepts http and https urls without credentials', () => {
    expect(isAcceptableWebhookUrl('https://hooks.example:8443/a?b=c')).toBe(true);
    expect(isAcceptableWebhookUrl('https://:pw@hooks.example/a')).toBe(false);
  });
});
