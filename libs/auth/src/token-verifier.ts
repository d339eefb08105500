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

const unauthenticated = (detail: string): ApiError => new ApiError(401, 'UNAUTHENTICATED', detail, undefined, { 'www-authenticate': 'Bearer' });

/** Exactly one verifier: HS256 with a shared secret, or OIDC keys from a JWKS (asymmetric algorithms only). */
export function createTokenVerifier(auth: AuthConfig, policy: PartnershipPolicy, jwtSecret = auth.jwtSecret): TokenVerifier {
  if (jwtSecret && auth.jwksUrl) throw new Error('configure exactly one token verifier, not both');
  let verifyPayload: (token: string) => Promise<JWTPayload>;
  if (jwtSecret) {
    const key = new TextEncoder().encode(jwtSecret);
    verifyPayload = async (token) => (await jwtVerify(token, key, { algorithms: ['HS256'], clockTolerance: 5 })).payload;
  } else if (auth.jwksUrl) {
    // Keys are read again after jwksCacheSeconds (a withdrawn key stops working then) and at once
    // for an unknown key id (a rotation), at most every cooldownDuration.
    const cacheMaxAge = (auth.jwksCacheSeconds ?? 300) * 1000;
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(auth.jwksUrl), { cacheMaxAge, cooldownDuration: Math.min(30_000, cacheMaxAge) });
    verifyPayload = async (token) =>
      (await jwtVerify(token, keys, { algorithms: ASYMMETRIC, issuer: auth.issuer, audience: auth.audience, clockTolerance: 5 })).payload;
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
        throw unauthenticated('the token is not valid');
      }
      return toPrincipal(payload, auth, policy);
    },
  };
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
      throw new ApiError(403, 'FORBIDDEN_ROLE', `this deployment serves several partnerships: the token must carry a ${auth.claims.partnerships} claim`);
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
