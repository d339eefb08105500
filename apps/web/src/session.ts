/**
 * Who is signed in. The console only reads the token's claims to decide what to show; the API
 * verifies the token and enforces every rule again.
 */
import { get } from './api';

export type Role = 'inspector' | 'officer' | 'manager' | 'admin';
export const ROLES: Role[] = ['inspector', 'officer', 'manager', 'admin'];

export interface Claims {
  sub: string;
  name: string;
  agency: string;
  roles: Role[];
  partnerships?: string[];
  exp?: number;
}

export interface Session {
  token: string;
  source: 'dev' | 'pasted' | 'oidc';
  claims: Claims;
}

/**
 * Assumed route `GET /v1/console-config` (anonymous): `{oidc?: {issuer, clientId, scope?},
 * claims?: {sub?, name?, agency?, roles?, partnerships?}, map?: {tileUrl?, attribution?}}`.
 * Absent (404) means a development deployment: dev tokens or a pasted token.
 */
export interface ConsoleConfig {
  oidc?: { issuer: string; clientId: string; scope?: string };
  claims?: Partial<Record<'sub' | 'name' | 'agency' | 'roles' | 'partnerships', string>>;
  map?: { tileUrl?: string; attribution?: string };
}

/** `GET /v1/dev/tokens` (only with the embedded quick-start secret). */
export interface DevToken {
  label: string;
  role: Role;
  agency: string;
  token: string;
}

const STORAGE_KEY = 'tasking-ledger.session';

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    const response = await get<ConsoleConfig>('/v1/console-config', { anonymous: true });
    return typeof response.data === 'object' && response.data ? response.data : {};
  } catch {
    return {};
  }
}

export async function loadDevTokens(): Promise<DevToken[]> {
  try {
    const response = await get<{ items?: DevToken[] }>('/v1/dev/tokens', { anonymous: true });
    return Array.isArray(response.data?.items) ? response.data.items : [];
  } catch {
    return [];
  }
}

function base64UrlDecode(part: string): string {
  const padded = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads (does not verify) a JWT's claims, with the claim names the deployment configured. */
export function readClaims(token: string, names: ConsoleConfig['claims'] = {}): Claims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('That is not a JSON Web Token (it should have three parts separated by dots).');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]!)) as Record<string, unknown>;
  } catch {
    throw new Error('The token’s claims could not be read.');
  }
  const pick = (key: keyof NonNullable<ConsoleConfig['claims']>, fallback: string) => payload[names?.[key] ?? fallback];
  const rolesRaw = pick('roles', 'roles');
  const roles = (Array.isArray(rolesRaw) ? rolesRaw : typeof rolesRaw === 'string' ? rolesRaw.split(/[ ,]+/) : []).filter((r): r is Role =>
    (ROLES as string[]).includes(String(r)),
  );
  const partnerships = pick('partnerships', 'partnerships');
  const exp = typeof payload['exp'] === 'number' ? (payload['exp'] as number) : undefined;
  return {
    sub: String(pick('sub', 'sub') ?? ''),
    name: String(pick('name', 'name') ?? pick('sub', 'sub') ?? 'unknown'),
    agency: String(pick('agency', 'agency') ?? ''),
    roles,
    partnerships: Array.isArray(partnerships) ? partnerships.map(String) : undefined,
    exp,
  };
}

/** A signed-in account the console cannot serve (the API would refuse every request it makes). */
export class AccountNotUsableError extends Error {
  constructor(
    readonly heading: string,
    message: string,
  ) {
    super(message);
  }
}

const AGENCY_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Refuses claims without a valid agency or without a role this console knows, saying which claim is missing. */
export function requireUsable(claims: Claims, names: ConsoleConfig['claims'] = {}): void {
  if (!AGENCY_CODE.test(claims.agency)) {
    throw new AccountNotUsableError(
      'Your account has no agency',
      `You signed in as ${claims.name}, but your account does not say which agency you work for (the “${names?.agency ?? 'agency'}” claim), so the console cannot show your work. Ask your administrator to give your account an agency, then sign in again.`,
    );
  }
  if (claims.roles.length === 0) {
    throw new AccountNotUsableError(
      'Your account has no role here',
      `You signed in as ${claims.name}, but your account has none of the roles this console knows (inspector, officer, manager or admin; the “${names?.roles ?? 'roles'}” claim). Ask your administrator to give your account a role, then sign in again.`,
    );
  }
}

export function isExpired(claims: Claims, now = Date.now()): boolean {
  return claims.exp !== undefined && claims.exp * 1000 <= now;
}

/**
 * The session is kept per browser (local storage), so a new tab is signed in too, until the
 * token's own expiry; signing out in one tab signs out every tab (`onSessionChangedElsewhere`).
 */
export function storeSession(session: Session | undefined): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
}

export function restoreSession(): Session | undefined {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (!session.token || isExpired(session.claims)) {
      storeSession(undefined);
      return undefined;
    }
    return session;
  } catch {
    storeSession(undefined);
    return undefined;
  }
}

/** Calls back when another tab of this browser signs in, renews or signs out; returns a function that stops listening. */
export function onSessionChangedElsewhere(changed: (session: Session | undefined) => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.storageArea === localStorage && (event.key === STORAGE_KEY || event.key === null)) changed(restoreSession());
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}

export const hasRole = (session: Session | undefined, ...roles: Role[]): boolean =>
  !!session && session.claims.roles.some((r) => roles.includes(r));

/** The role the console opens on when a user holds several. */
export function primaryRole(claims: Claims): Role | undefined {
  return (['inspector', 'manager', 'officer', 'admin'] as Role[]).find((r) => claims.roles.includes(r));
}

// --- OIDC: authorisation code + PKCE through oidc-client-ts, loaded only when configured ---

const CALLBACK_PATH = '/auth/callback';

async function userManager(config: NonNullable<ConsoleConfig['oidc']>) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: config.scope ?? 'openid profile',
    // Renewal uses the refresh token the provider issues with the code (no hidden iframe: the
    // console's CSP and most providers forbid framing), a minute before the access token expires.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

export async function startOidcSignIn(config: NonNullable<ConsoleConfig['oidc']>, returnTo: string): Promise<void> {
  const manager = await userManager(config);
  await manager.signinRedirect({ state: { returnTo } });
}

export const isOidcCallback = (path: string) => path === CALLBACK_PATH;

/** Completes the code exchange (PKCE verifier from session storage) and returns the session. */
export async function completeOidcSignIn(config: ConsoleConfig): Promise<{ session: Session; returnTo: string }> {
  if (!config.oidc) throw new Error('Single sign-on is not configured for this console.');
  const manager = await userManager(config.oidc);
  const user = await manager.signinRedirectCallback();
  const token = user.access_token;
  const session: Session = { token, source: 'oidc', claims: readClaims(token, config.claims) };
  requireUsable(session.claims, config.claims);
  const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo ?? '/';
  return { session, returnTo: returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/' };
}

/**
 * Keeps a signed-in OIDC session's access token fresh: before it expires, oidc-client-ts renews
 * it with the refresh token and `onRenewed` gets the new session; when renewal fails, the
 * session runs until its token expires and the API's 401 asks the user to sign in again.
 * Returns a function that stops renewing.
 */
export async function keepOidcSessionFresh(config: ConsoleConfig, onRenewed: (session: Session) => void): Promise<() => void> {
  if (!config.oidc) return () => undefined;
  const manager = await userManager(config.oidc);
  const renewed = (user: { access_token: string }) => {
    const claims = readClaims(user.access_token, config.claims);
    try {
      requireUsable(claims, config.claims);
    } catch {
      return;
    }
    onRenewed({ token: user.access_token, source: 'oidc', claims });
  };
  manager.events.addUserLoaded(renewed);
  await manager.getUser(); // arms the expiry timer for the stored user
  return () => {
    manager.events.removeUserLoaded(renewed);
    manager.stopSilentRenew();
  };
}

export async function oidcSignOut(config: ConsoleConfig): Promise<void> {
  if (!config.oidc) return;
  const manager = await userManager(config.oidc);
  await manager.removeUser();
  await manager.signoutRedirect().catch(() => undefined);
}
