import type { Principal } from '@tasking/auth';
import { ApiError } from '@tasking/shared';
import { refusalError, type CommandContext } from './command-runner';
import { newIdFor, partnershipOf } from './command-support';

const principal = (partnerships: string[]): Principal => ({ userId: 'u1', name: 'Insp', agency: 'POLICE', roles: ['inspector'], partnerships });
const context = (idempotency?: CommandContext['idempotency'], userId = 'u1'): CommandContext => ({
  principal: { ...principal(['north']), userId },
  now: new Date('2025-03-10T10:00:00Z'),
  correlationId: 'c1',
  idempotency,
});

describe('partnershipOf', () => {
  it('takes the partnership named in the body (the decider checks the caller holds it)', () => {
    expect(partnershipOf(principal(['north', 'south']), 'south')).toBe('south');
  });

  it("takes the caller's only partnership", () => {
    expect(partnershipOf(principal(['north']), undefined)).toBe('north');
  });

  it('asks a caller of several partnerships to name one', () => {
    const error = (() => {
      try {
        partnershipOf(principal(['north', 'south']), undefined);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'partnership' }] });
  });

  it('refuses a caller without any partnership', () => {
    expect(() => partnershipOf(principal([]), undefined)).toThrow(expect.objectContaining({ status: 403 }));
  });
});

describe('newIdFor', () => {
  const key = { key: 'k1', method: 'POST', path: '/v1/problems', bodyHash: 'h' };

  it('is random without an Idempotency-Key', () => {
    expect(newIdFor(context(), 'problem')).not.toBe(newIdFor(context(), 'problem'));
  });

  it('derives the same id from the same caller, method, path and key, and another for anything else', () => {
    const id = newIdFor(context(key), 'problem');
    expect(newIdFor(context(key), 'problem')).toBe(id);
    expect(newIdFor(context({ ...key, key: 'k2' }), 'problem')).not.toBe(id);
    expect(newIdFor(context({ ...key, path: '/v1/meetings' }), 'problem')).not.toBe(id);
    expect(newIdFor(context(key, 'u2'), 'problem')).not.toBe(id);
    expect(newIdFor(context(key), 'intervention')).not.toBe(id);
  });
});

describe('refusalError', () => {
  it("maps a refusal's code once to its status", () => {
    expect(refusalError({ code: 'WRONG_AGENCY', message: 'only officers of agency FIRE may claim this action' })).toMatchObject({ status: 403, code: 'WRONG_AGENCY' });
    expect(refusalError({ code: 'UNKNOWN_TACTIC', message: 'x' }).status).toBe(422);
    expect(refusalError({ code: 'ACTIONS_OUTSTANDING', message: 'x' }).status).toBe(409);
  });

  it('keeps the field errors of VALIDATION_FAILED for the 400 answer', () => {
    const error = refusalError({ code: 'VALIDATION_FAILED', message: 'raisedAt must not be in the future', errors: [{ field: 'raisedAt', message: 'raisedAt must not be in the future' }] });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, errors: [{ field: 'raisedAt', message: 'raisedAt must not be in the future' }] });
  });
});
