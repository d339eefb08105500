import { isIP } from 'node:net';
import { isReferencePrefix } from '@tasking/domain';

/**
 * Configuration from environment variables, validated once at start. A bad value stops the
 * process with one line per problem, naming the variable.
 */

export type WorkerMode = 'inline' | 'separate';

export interface AuthConfig {
  /** HS256 secret (development, tests, the embedded quick start). */
  jwtSecret?: string;
  /** OIDC: asymmetric keys from a JWKS endpoint, with issuer and audience checked. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Longest accepted token lifetime: `exp` minus `iat` (or minus now, without `iat`). */
  maxTokenLifetimeSeconds: number;
  /** How far `iat`, `nbf` and `exp` may be off this server's clock. */
  clockSkewSeconds: number;
  /** How long fetched OIDC keys are trusted before the JWKS is read again: a key withdrawn by the provider is refused after at most this long (default 300). */
  jwksCacheSeconds?: number;
  claims: { sub: string; name: string; agency: string; roles: string; partnerships: string };
}

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  eventStoreUrl?: string;
  redisUrl: string;
  auth: AuthConfig;
  partnerships: string[];
  defaultPartnership: string;
  timeZone: string;
  host: string;
  port: number;
  /** NODE_ENV=production: no development tokens, whatever else is configured. */
  production: boolean;
  secretsKey?: string;
  webhookAllowPrivateTargets: boolean;
  webhookAttempts: number;
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
  workerMode: WorkerMode;
  queuePrefix: string;
  queueDashboard: boolean;
  rateLimitPerUserPerMinute: number;
  rateLimitPerIpPerMinute: number;
  retentionYearsAfterClosure: number;
  /** Years after an incident is recorded before its personal data is erased (later if a linked problem's retention ends later). */
  incidentRetentionYears: number;
  bodyLimitBytes: number;
  /** The largest file `POST /v1/imports` stages (IMPORT_MAX_BYTES). */
  importMaxBytes: number;
  readYourWritesTimeoutMs: number;
  http: HttpLimits;
  /** PostgreSQL: the client gives up on a statement unanswered this long (0: never). */
  databaseQueryTimeoutMs: number;
  /** Bearer token for GET /metrics; absent: metrics are served only on METRICS_PORT (or not at all). */
  metricsToken?: string;
  /** A port of its own for GET /metrics (on HOST), without authentication; absent: not served there. */
  metricsPort?: number;
  logLevel: string;
  /** OIDC client id the browser console uses for authorization code + PKCE (with AUTH_ISSUER). */
  consoleOidcClientId?: string;
  /** Scopes the console asks for: the API's own scope too where the provider needs it for an access token the API accepts (Entra ID). */
  consoleOidcScope: string;
  /** Map tiles for the console (absent: no tile server, areas drawn on a plain background). */
  mapTileUrl?: string;
  /** The tile server's required credit, shown on the map as text (e.g. "© OpenStreetMap contributors"). */
  mapTileAttribution?: string;
  /** Case reference prefixes by partnership code (REFERENCE_PREFIXES); a partnership not named derives its own from its code. */
  referencePrefixes: Record<string, string>;
  // Open311.
  /** Open311 posts per API key per minute (OPEN311_RATE_LIMIT_PER_KEY_PER_MINUTE); 0: no limit. */
  open311RateLimitPerKeyPerMinute: number;
}

/** Limits of the HTTP server (docs/security.md, HTTP server). */
export interface HttpLimits {
  /** The request line and headers must have arrived within this. */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this. */
  requestTimeoutMs: number;
  /** A connection with no byte in either direction for this long is closed (a body must keep arriving). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections from one client address; 0 switches the cap off. */
  maxConnectionsPerIp: number;
  /** A request not answered within this gets 503 SERVICE_UNAVAILABLE with Retry-After. */
  requestDeadlineMs: number;
}

/** Every variable the service reads, with what it means; the README and deploy checks use this list. */
export const CONFIG_VARIABLES: Record<string, string> = {
  DATABASE_URL: 'PostgreSQL URL for the event store and read models; absent: embedded PGlite in DATA_DIR',
  DATA_DIR: 'folder of the embedded store and its generated development secret (default ./data)',
  EVENT_STORE_URL: 'event store location when not the read-model database (kurrentdb://... or esdb://...)',
  REDIS_URL: 'Redis for the job queues (default redis://127.0.0.1:6379)',
  AUTH_JWT_SECRET: 'HS256 secret for bearer tokens (development and tests); exclusive with AUTH_JWKS_URL',
  AUTH_JWKS_URL: 'OIDC JWKS endpoint (RS256/ES256 only); needs AUTH_ISSUER and AUTH_AUDIENCE',
  AUTH_ISSUER: 'expected iss of OIDC tokens',
  AUTH_AUDIENCE: 'expected aud of OIDC tokens',
  AUTH_TOKEN_MAX_LIFETIME_SECONDS: 'longest token lifetime accepted, exp minus iat; tokens without exp are refused (default 43200, 12 hours)',
  AUTH_CLOCK_SKEW_SECONDS: 'how far a token\'s iat, nbf and exp may be off this server\'s clock (default 30)',
  AUTH_JWKS_CACHE_SECONDS: 'seconds fetched OIDC keys are trusted before the JWKS is read again, i.e. how long a revoked key may still be accepted (default 300)',
  AUTH_CLAIM_SUB: 'claim holding the user id (default sub)',
  AUTH_CLAIM_NAME: 'claim holding the display name (default name)',
  AUTH_CLAIM_AGENCY: 'claim holding the agency code (default agency)',
  AUTH_CLAIM_ROLES: 'claim holding the roles array (default roles)',
  AUTH_CLAIM_PARTNERSHIPS: 'claim holding the partnership codes (default partnerships)',
  PARTNERSHIPS: 'comma-separated partnership codes this deployment serves (default: DEFAULT_PARTNERSHIP alone)',
  DEFAULT_PARTNERSHIP: 'the partnership of a single-partnership deployment (default default)',
  TIME_ZONE: 'zone of bare dates in query windows (default Europe/London)',
  HOST: 'address the API listens on (default 127.0.0.1)',
  PORT: 'port the API listens on (default 3000)',
  SECRETS_KEY: 'base64 32-byte key encrypting webhook secrets and personal-data keys at rest',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true lets webhooks reach loopback and private addresses (demos, tests; default false)',
  WEBHOOK_ATTEMPTS: 'delivery attempts before a notification is dead-lettered (default 8)',
  WEBHOOK_RETRY_BASE_MS: 'first retry delay; doubles each attempt (default 5000)',
  WEBHOOK_TIMEOUT_MS: 'time allowed for one webhook delivery (default 10000)',
  WORKER_MODE: 'inline (default: projections and jobs run in the API process) or separate',
  QUEUE_PREFIX: 'prefix of queue names (default tasking); queues are also namespaced by the database, so deployments can share a Redis',
  QUEUE_DASHBOARD: 'true serves the read-only queue dashboard to the operator role at /admin/queues (default false)',
  RATE_LIMIT_PER_USER_PER_MINUTE: 'requests per user per minute, 0 switches off (default 600)',
  RATE_LIMIT_PER_IP_PER_MINUTE: 'requests per client address per minute, 0 switches off (default 3000)',
  // Open311.
  OPEN311_RATE_LIMIT_PER_KEY_PER_MINUTE: 'Open311 posts per API key per minute, 0 switches off (default 60)',
  RETENTION_YEARS_AFTER_CLOSURE: 'years after closure before a problem\'s personal data is erased (default 6)',
  INCIDENT_RETENTION_YEARS: 'years after recording before an incident\'s personal data is erased, or when a problem it is linked to is, whichever is later (default 2)',
  BODY_LIMIT_BYTES: 'largest accepted request body (default 262144)',
  IMPORT_MAX_BYTES: 'largest file an import accepts, streamed to the staging table (default 536870912, 512 MB)',
  READ_YOUR_WRITES_TIMEOUT_MS: 'how long a query waits for X-Min-Position (default 2000)',
  HTTP_HEADERS_TIMEOUT_MS: 'time allowed for a request line and headers to arrive (default 30000)',
  HTTP_REQUEST_TIMEOUT_MS: 'time allowed for a whole request, headers and body, to arrive (default 60000)',
  HTTP_IDLE_TIMEOUT_MS: 'a connection silent this long is closed, e.g. a stalled body; above REQUEST_DEADLINE_MS (default 30000)',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 'an idle keep-alive connection is closed after this (default 5000)',
  HTTP_MAX_CONNECTIONS_PER_IP: 'open connections allowed from one client address, 0 switches off (default 64)',
  REQUEST_DEADLINE_MS: 'a request not answered within this gets 503 with Retry-After (default 15000)',
  DATABASE_QUERY_TIMEOUT_MS: 'PostgreSQL: the client drops a session whose statement is unanswered this long, e.g. a frozen server; 0 never (default 60000)',
  METRICS_TOKEN: 'bearer token (32+ characters) that GET /metrics requires on the API port; absent: /metrics is not served there',
  METRICS_PORT: 'a port of its own (on HOST) serving /metrics without a token, for a scraper on a private network',
  LOG_LEVEL: 'pino level (default info)',
  CONSOLE_OIDC_CLIENT_ID: 'OIDC client id of the browser console (authorization code + PKCE against AUTH_ISSUER)',
  CONSOLE_OIDC_SCOPE: 'scopes the console requests (default "openid profile"; Entra ID: add api://<API app id>/<scope>)',
  MAP_TILE_URL: 'map tile URL template for the console, e.g. https://tiles.example/{z}/{x}/{y}.png (default: none)',
  MAP_TILE_ATTRIBUTION: 'credit the tile server requires, shown on the map as text, at most 300 characters (default: none)',
  REFERENCE_PREFIXES: 'case reference prefix per partnership, e.g. enfield=SAFE,haringey=HSP: 1 to 8 capital letters or digits (default: the code\'s letters and digits, upper-case, first 8)',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** localhost, 127.0.0.0/8, ::1 and IPv4-mapped 127.x: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[/, '').replace(/\]$/, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare.startsWith('::ffff:127.');
  return false;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const boundedText = (name: string, max: number): string | undefined => {
    const value = str(name);
    if (value !== undefined && value.length > max) problems.push(`${name} must be at most ${max} characters, got ${value.length}`);
    return value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got "${parsed.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a URL`);
    }
    return raw;
  };

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const eventStoreUrl = url('EVENT_STORE_URL', ['postgres:', 'postgresql:', 'kurrentdb:', 'esdb:', 'esdb+discover:', 'kurrentdb+discover:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']) ?? 'redis://127.0.0.1:6379';

  const jwtSecret = str('AUTH_JWT_SECRET');
  const jwksUrl = url('AUTH_JWKS_URL', ['http:', 'https:']);
  const issuer = str('AUTH_ISSUER');
  const audience = str('AUTH_AUDIENCE');
  if (jwtSecret && jwksUrl) {
    problems.push('configure exactly one token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL, not both');
  }
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    problems.push('AUTH_JWT_SECRET must be at least 32 characters');
  }
  if (jwksUrl && (!issuer || !audience)) {
    problems.push('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
  }
  if (!jwtSecret && !jwksUrl && databaseUrl) {
    problems.push('configure a token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL (only the embedded quick start generates a development secret)');
  }

  const host = str('HOST') ?? '127.0.0.1';
  if (!jwtSecret && !jwksUrl && !databaseUrl && !isLoopbackHost(host)) {
    problems.push(
      `HOST=${host} is not a loopback address: the embedded quick start's generated development secret serves 127.0.0.1 only; set AUTH_JWT_SECRET or AUTH_JWKS_URL to listen on ${host}`,
    );
  }

  const defaultPartnership = str('DEFAULT_PARTNERSHIP') ?? 'default';
  const partnerships = (str('PARTNERSHIPS') ?? defaultPartnership)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const code of [defaultPartnership, ...partnerships]) {
    if (!CODE.test(code)) problems.push(`partnership code "${code}" must be lowercase letters, digits and dashes`);
  }

  const timeZone = str('TIME_ZONE') ?? 'Europe/London';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    problems.push(`TIME_ZONE "${timeZone}" is not a known time zone`);
  }

  const workerModeRaw = str('WORKER_MODE') ?? 'inline';
  if (workerModeRaw !== 'inline' && workerModeRaw !== 'separate') {
    problems.push(`WORKER_MODE must be inline or separate, got "${workerModeRaw}"`);
  }
  if (workerModeRaw === 'separate' && !databaseUrl) {
    problems.push('WORKER_MODE=separate needs DATABASE_URL: the embedded store is one process');
  }

  const secretsKey = str('SECRETS_KEY');
  if (secretsKey !== undefined && Buffer.from(secretsKey, 'base64').length !== 32) {
    problems.push('SECRETS_KEY must be 32 bytes, base64-encoded');
  }

  const queuePrefix = str('QUEUE_PREFIX') ?? 'tasking';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(queuePrefix)) problems.push('QUEUE_PREFIX must be letters, digits, _ or -');

  const http: HttpLimits = {
    headersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 30_000, 100, 600_000),
    requestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
    idleTimeoutMs: int('HTTP_IDLE_TIMEOUT_MS', 30_000, 100, 3_600_000),
    keepAliveTimeoutMs: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnectionsPerIp: int('HTTP_MAX_CONNECTIONS_PER_IP', 64, 0, 1_000_000),
    requestDeadlineMs: int('REQUEST_DEADLINE_MS', 15_000, 100, 600_000),
  };
  if (http.requestTimeoutMs < http.headersTimeoutMs) problems.push('HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS');
  if (http.idleTimeoutMs <= http.requestDeadlineMs) {
    problems.push('HTTP_IDLE_TIMEOUT_MS must exceed REQUEST_DEADLINE_MS, or a slow answer loses its connection before its 503');
  }
  const readYourWritesTimeoutMs = int('READ_YOUR_WRITES_TIMEOUT_MS', 2000, 0, 60_000);
  if (readYourWritesTimeoutMs >= http.requestDeadlineMs) {
    problems.push('READ_YOUR_WRITES_TIMEOUT_MS must be below REQUEST_DEADLINE_MS, or a read waiting for its position is cut off first');
  }

  const metricsToken = str('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 32) problems.push('METRICS_TOKEN must be at least 32 characters');
  const metricsPortRaw = str('METRICS_PORT');
  const metricsPort = metricsPortRaw === undefined ? undefined : int('METRICS_PORT', 0, 1, 65535);

  const referencePrefixes: Record<string, string> = {};
  for (const pair of (str('REFERENCE_PREFIXES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [code = '', prefix = ''] = pair.split('=').map((p) => p.trim());
    if (!CODE.test(code) || !isReferencePrefix(prefix)) problems.push(`REFERENCE_PREFIXES: "${pair}" must be partnership=PREFIX, the prefix 1 to 8 capital letters or digits`);
    else referencePrefixes[code] = prefix;
  }

  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL "${logLevel}" is not a pino level`);
  }

  const config: Config = {
    databaseUrl,
    dataDir: str('DATA_DIR') ?? './data',
    eventStoreUrl,
    redisUrl,
    auth: {
      jwtSecret,
      jwksUrl,
      issuer,
      audience,
      maxTokenLifetimeSeconds: int('AUTH_TOKEN_MAX_LIFETIME_SECONDS', 43_200, 60, 31 * 24 * 3600),
      clockSkewSeconds: int('AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
      jwksCacheSeconds: int('AUTH_JWKS_CACHE_SECONDS', 300, 1, 86_400),
      claims: {
        sub: str('AUTH_CLAIM_SUB') ?? 'sub',
        name: str('AUTH_CLAIM_NAME') ?? 'name',
        agency: str('AUTH_CLAIM_AGENCY') ?? 'agency',
        roles: str('AUTH_CLAIM_ROLES') ?? 'roles',
        partnerships: str('AUTH_CLAIM_PARTNERSHIPS') ?? 'partnerships',
      },
    },
    partnerships,
    defaultPartnership,
    timeZone,
    host,
    port: int('PORT', 3000, 0, 65535),
    production: env['NODE_ENV'] === 'production',
    secretsKey,
    webhookAllowPrivateTargets: bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    webhookAttempts: int('WEBHOOK_ATTEMPTS', 8, 1, 100),
    webhookRetryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 5000, 1, 3_600_000),
    webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    workerMode: workerModeRaw === 'separate' ? 'separate' : 'inline',
    queuePrefix,
    queueDashboard: bool('QUEUE_DASHBOARD', false),
    rateLimitPerUserPerMinute: int('RATE_LIMIT_PER_USER_PER_MINUTE', 600, 0, 10_000_000),
    rateLimitPerIpPerMinute: int('RATE_LIMIT_PER_IP_PER_MINUTE', 3000, 0, 10_000_000),
    retentionYearsAfterClosure: int('RETENTION_YEARS_AFTER_CLOSURE', 6, 1, 100),
    incidentRetentionYears: int('INCIDENT_RETENTION_YEARS', 2, 1, 100),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 262_144, 1024, 64 * 1024 * 1024),
    importMaxBytes: int('IMPORT_MAX_BYTES', 512 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    readYourWritesTimeoutMs,
    http,
    databaseQueryTimeoutMs: int('DATABASE_QUERY_TIMEOUT_MS', 60_000, 0, 3_600_000),
    metricsToken,
    metricsPort,
    logLevel,
    consoleOidcClientId: str('CONSOLE_OIDC_CLIENT_ID'),
    consoleOidcScope: str('CONSOLE_OIDC_SCOPE') ?? 'openid profile',
    mapTileUrl: url('MAP_TILE_URL', ['https:', 'http:']),
    mapTileAttribution: boundedText('MAP_TILE_ATTRIBUTION', 300),
    referencePrefixes,
    // Open311.
    open311RateLimitPerKeyPerMinute: int('OPEN311_RATE_LIMIT_PER_KEY_PER_MINUTE', 60, 0, 1_000_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
