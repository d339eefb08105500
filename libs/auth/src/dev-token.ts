import { SignJWT } from 'jose';
import type { Role } from './principal';

export interface DevTokenClaims {
  sub: string;
  name: string;
  agency: string;
  roles: Role[];
  partnerships?: string[];
}

/** Signs an HS256 development token; production tokens come from the identity provider. */
export async function signDevToken(secret: string, claims: DevTokenClaims, expiresIn: string | number = '12h'): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
