import fc from 'fast-check';
import { bearerToken, MAX_AUTHORIZATION_LENGTH } from './auth.guard';

const tokenChar = fc.constantFrom(...'ABCxyz019-_.+/=~!'.split(''));
const token = fc.string({ unit: tokenChar, minLength: 1, maxLength: 400 });
const space = fc.string({ unit: fc.constantFrom(' ', '\t'), minLength: 1, maxLength: 3 });

describe('bearerToken', () => {
  it('takes the token after a Bearer scheme in any case, with any spacing around', () => {
    fc.assert(
      fc.property(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR'), space, token, fc.constantFrom('', ' ', '\t '), (scheme, gap, t, tail) => {
        expect(bearerToken(`${scheme}${gap}${t}${tail}`)).toBe(t);
      }),
    );
  });

  it('refuses other schemes, no token, two tokens and anything longer than the limit', () => {
    fc.assert(
      fc.property(token, token, (a, b) => {
        expect(bearerToken(`Basic ${a}`)).toBeUndefined();
        expect(bearerToken(`Bearer${a}`)).toBeUndefined();
        expect(bearerToken(`Bearer ${a} ${b}`)).toBeUndefined();
        expect(bearerToken(a)).toBeUndefined();
      }),
    );
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    const longest = `Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH - 7)}`;
    expect(bearerToken(longest)).toHaveLength(MAX_AUTHORIZATION_LENGTH - 7);
    expect(bearerToken(`${longest}a`)).toBeUndefined();
  });
});
