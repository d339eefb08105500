import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('defaults to the embedded store and one partnership', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.partnerships).toEqual(['default']);
    expect(config.workerMode).toBe('inline');
    expect(config.rateLimitPerUserPerMinute).toBe(600);
    expect(config.webhookAttempts).toBe(8);
  });

  it('reads the map tile server and its credit, refusing a credit over 300 characters', () => {
    const config = loadConfig({ MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© OpenStreetMap contributors' });
    expect(config.mapTileUrl).toBe('https://tiles.example/{z}/{x}/{y}.png');
    expect(config.mapTileAttribution).toBe('© OpenStreetMap contributors');
    expect(() => loadConfig({ MAP_TILE_ATTRIBUTION: 'x'.repeat(301) })).toThrow(/MAP_TILE_ATTRIBUTION must be at most 300 characters/);
  });

  it('reads case reference prefixes per partnership, refusing one that cannot stand in a reference', () => {
    expect(loadConfig({}).referencePrefixes).toEqual({});
    expect(loadConfig({ REFERENCE_PREFIXES: 'enfield=SAFE, haringey=HSP2' }).referencePrefixes).toEqual({ enfield: 'SAFE', haringey: 'HSP2' });
    expect(() => loadConfig({ REFERENCE_PREFIXES: 'enfield=safe' })).toThrow(/REFERENCE_PREFIXES: "enfield=safe"/);
    expect(() => loadConfig({ REFERENCE_PREFIXES: 'enfield=TOOLONGPREFIX' })).toThrow(/REFERENCE_PREFIXES/);
  });

  it('refuses two token verifiers', () => {
    expect(() =>
      loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: 'https://idp/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }),
    ).toThrow(/exactly one token verifier/);
  });

  it('reads the console sign-in settings and how long OIDC keys are trusted', () => {
    const oidc = { AUTH_JWKS_URL: 'https://idp/jwks', AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'api' };
    expect(loadConfig(oidc)).toMatchObject({ consoleOidcScope: 'openid profile', auth: { jwksCacheSeconds: 300 } });
    expect(loadConfig({ ...oidc, CONSOLE_OIDC_SCOPE: 'openid api://x/y', AUTH_JWKS_CACHE_SECONDS: '60' })).toMatchObject({
      consoleOidcScope: 'openid api://x/y',
      auth: { jwksCacheSeconds: 60 },
    });
    expect(() => loadConfig({ ...oidc, AUTH_JWKS_CACHE_SECONDS: '0' })).toThrow(/AUTH_JWKS_CACHE_SECONDS/);
  });

  it('refuses a server database with no token verifier', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/configure a token verifier/);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', WORKER_MODE: 'both', TIME_ZONE: 'Mars/Olympus', REDIS_URL: 'http://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/WORKER_MODE/);
      expect(problems).toMatch(/TIME_ZONE/);
      expect(problems).toMatch(/REDIS_URL/);
    }
  });

  it('reads switches and limits', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_IP_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', PARTNERSHIPS: 'north,south' });
    expect(config.rateLimitPerIpPerMinute).toBe(0);
    expect(config.webhookAllowPrivateTargets).toBe(true);
    expect(config.partnerships).toEqual(['north', 'south']);
  });
});
