import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, inspector } from '../testing/fixtures';
import type { Open311ClientEvent } from './open311-client.events';
import { decideOpen311Client } from './open311-client.decide';
import { evolveOpen311Client, initialOpen311ClientState } from './open311-client.state';

const given = DeciderSpecification.for(decideOpen311Client, evolveOpen311Client, initialOpen311ClientState);

const keyHash = 'a'.repeat(64);
const register = {
  type: 'RegisterOpen311Client',
  actor: admin,
  now: NOW,
  clientId: '5f0c1c1e-8d0b-4a57-9b8e-2f3b7b1f0e01',
  partnership: PARTNERSHIP,
  name: 'FixMyStreet',
  externalIdAttribute: 'fixmystreet_id',
  keyPrefix: 'k1b2c3d4',
  keyHash,
} as const;
const registered: Open311ClientEvent = {
  type: 'Open311ClientRegistered',
  data: { clientId: register.clientId, partnership: PARTNERSHIP, name: 'FixMyStreet', externalIdAttribute: 'fixmystreet_id', keyPrefix: 'k1b2c3d4', keyHash },
};
const revoked: Open311ClientEvent = { type: 'Open311ClientRevoked', data: {} };

describe('Open311 client', () => {
  describe('RegisterOpen311Client', () => {
    it('registers a client with its key hash and prefix', () => {
      given([]).when(register).then(registered);
    });

    it('registers a client without an external id attribute', () => {
      const { externalIdAttribute: _omitted, ...data } = (registered as Extract<Open311ClientEvent, { type: 'Open311ClientRegistered' }>).data;
      given([]).when({ ...register, externalIdAttribute: undefined }).then({ type: 'Open311ClientRegistered', data });
    });

    it('answers not found for a partnership the admin does not hold', () => {
      given([]).when({ ...register, partnership: OTHER_PARTNERSHIP }).thenFails('NOT_FOUND');
    });

    it.each(['attribute[x]', 'has space', ''])('refuses the external id attribute %p', (externalIdAttribute) => {
      given([]).when({ ...register, externalIdAttribute }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an empty name', () => {
      given([]).when({ ...register, name: ' ' }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an id already registered', () => {
      given([registered]).when(register).thenFails('ALREADY_EXISTS');
    });

    it('refuses an inspector', () => {
      given([]).when({ ...register, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('RevokeOpen311Client', () => {
    const revoke = { type: 'RevokeOpen311Client', actor: admin, now: NOW } as const;

    it('revokes an active client', () => {
      given([registered]).when(revoke).then(revoked);
    });

    it('decides nothing for a revoked client', () => {
      given([registered, revoked]).when(revoke).then([]);
    });

    it('answers not found for an unknown client', () => {
      given([]).when(revoke).thenFails('NOT_FOUND');
    });

    it("answers not found for another partnership's client", () => {
      const elsewhere: Open311ClientEvent = { type: 'Open311ClientRegistered', data: { ...(registered.data as object), partnership: OTHER_PARTNERSHIP } as never };
      given([elsewhere]).when(revoke).thenFails('NOT_FOUND');
    });

    it('refuses an inspector', () => {
      given([registered]).when({ ...revoke, actor: inspector }).thenFails('FORBIDDEN_ROLE');
    });
  });
});
