import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ApiError, type AuthConfig } from '@tasking/shared';
import { ROLES, type Principal, type Role } from './principal';

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface PartnershipPolicy {
  /** Every partnership this deployment serves. */
  partnerships: string[];
  defaultPartnership: string;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const unauthenticated = (detail: string): ApiError => new ApiError('UNAUTHENTICATED', detail, undefined, { 'www-authenticate': 'Bearer' });

/**
 * Exactly one verifier: HS256 with a shared secret, or OIDC keys from a JWKS (asymmetric algorithms
 * only). Every token must carry `exp`, live no longer than `auth.maxTokenLifetimeSeconds`, and not
 * be issued or valid only from a time beyond `auth.clockSkewSeconds` ahead of `now`.
 */
export function createTokenVerifier(auth: AuthConfig, policy: PartnershipPolicy, jwtSecret = auth.jwtSecret, now: () => Date = () => new Date()): TokenVerifier {
  if (jwtSecret && auth.jwksUrl) throw new Error('configure exactly one token verifier, not both');
  const times = { requiredClaims: ['exp'], clockTolerance: auth.clockSkewSeconds };
  let verifyPayload: (token: string) => Promise<JWTPayload>;
  if (jwtSecret) {
    const key = new TextEncoder().encode(jwtSecret);
    verifyPayload = async (token) => (await jwtVerify(token, key, { algorithms: ['HS256'], ...times, currentDate: now() })).payload;
  } else if (auth.jwksUrl) {
    // Keys are read again after jwksCacheSeconds (a withdrawn key stops working then) and at once
    // for an unknown key id (a rotation), at most every cooldownDuration.
    const cacheMaxAge = (auth.jwksCacheSeconds ?? 300) * 1000;
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge, cooldownDuration: Math.min(30_000, cacheMaxAge) });
    verifyPayload = async (token) =>
      (await jwtVerify(token, keys, { algorithms: ASYMMETRIC, issuer: auth.issuer, audience: auth.audience, ...times, currentDate: now() })).payload;
  } else {
    throw new Error('configure a token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL');
  }

  return {
    async verify(token: string): Promise<Principal> {
      let payload: JWTPayload;
      try {
        payload = await verifyPayload(token);
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the token has expired');
        if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp') throw unauthenticated('the token has no valid exp claim');
        if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') throw unauthenticated('the token is not valid yet');
        throw unauthenticated('the token is not valid');
      }
      checkLifetime(payload, auth, Math.floor(now().getTime() / 1000));
      return toPrincipal(payload, auth, policy);
    },
  };
}

/** `iat` not ahead of the clock beyond the skew; `exp` no further than the longest lifetime from `iat` (or from now). */
function checkLifetime(payload: JWTPayload, auth: AuthConfig, nowSeconds: number): void {
  const { iat, exp } = payload;
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) throw unauthenticated('the token has no valid iat claim');
  if (iat !== undefined && iat > nowSeconds + auth.clockSkewSeconds) throw unauthenticated('the token is issued in the future');
  const issued = iat ?? nowSeconds;
  if (exp! - issued > auth.maxTokenLifetimeSeconds) {
    throw unauthenticated(`the token lives longer than the ${auth.maxTokenLifetimeSeconds} s this deployment accepts`);
  }
}

function toPrincipal(payload: JWTPayload, auth: AuthConfig, policy: PartnershipPolicy): Principal {
  const claim = (name: string): unknown => (payload as Record<string, unknown>)[name];
  const userId = claim(auth.claims.sub);
  const agency = claim(auth.claims.agency);
  const roles = claim(auth.claims.roles);
  const name = claim(auth.claims.name);
  if (typeof userId !== 'string' || userId === '' || userId.length > 200) throw unauthenticated(`the token has no ${auth.claims.sub} claim`);
  if (typeof agency !== 'string' || !CODE.test(agency)) throw unauthenticated(`the token has no valid ${auth.claims.agency} claim`);
  const roleList = (Array.isArray(roles) ? roles : typeof roles === 'string' ? roles.split(/[ ,]+/) : []).filter(
    (r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r),
  );

  const rawPartnerships = claim(auth.claims.partnerships);
  let partnerships: string[];
  if (rawPartnerships === undefined) {
    if (policy.partnerships.length > 1) {
      throw new ApiError('FORBIDDEN_ROLE', `this deployment serves several partnerships: the token must carry a ${auth.claims.partnerships} claim`);
    }
    partnerships = [policy.defaultPartnership];
  } else {
    const list = Array.isArray(rawPartnerships) ? rawPartnerships : [rawPartnerships];
    partnerships = list.filter((p): p is string => typeof p === 'string' && policy.partnerships.includes(p));
  }
  return {
    userId,
    name: typeof name === 'string' && name.trim() !== '' ? name.slice(0, 200) : userId,
    agency: agency.toUpperCase(),
    roles: [...new Set(roleList)],
    partnerships: [...new Set(partnerships)],
  };
}
