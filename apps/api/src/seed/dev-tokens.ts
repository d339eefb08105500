import { Controller, Get, Inject } from '@nestjs/common';
import { Public, signDevToken } from '@tasking/auth';
import { ApiError, isLoopbackHost } from '@tasking/shared';
import type { Runtime } from '@tasking/runtime';
import { DEMO_SIGN_IN, DEMO_USERS } from './demo-users';

export interface DevToken {
  label: string;
  user: string;
  name: string;
  role: string;
  agency: string;
  token: string;
}

/**
 * Only the embedded quick start, whose secret was generated on this machine, hands out tokens, and
 * only while it listens on loopback and NODE_ENV is not production.
 */
/** What development tokens depend on: the configuration, the kind of database and the secret in force. */
export type DevTokenSource = Pick<Runtime, 'config' | 'db' | 'jwtSecret'>;

/** The DevTokenSource, read on each request (the runtime's, as it stands then). */
export const DEV_TOKEN_SOURCE = Symbol('DEV_TOKEN_SOURCE');

export function issuesDevTokens(runtime: DevTokenSource): boolean {
  const { config } = runtime;
  return (
    runtime.db.kind === 'embedded' &&
    !config.auth.jwtSecret &&
    !config.auth.jwksUrl &&
    runtime.jwtSecret !== undefined &&
    isLoopbackHost(config.host) &&
    !config.production
  );
}

/** How long a development token lives: 12 hours, or less if AUTH_TOKEN_MAX_LIFETIME_SECONDS says so. */
export const devTokenLifetimeSeconds = (runtime: Pick<Runtime, 'config'>): number => Math.min(12 * 3600, runtime.config.auth.maxTokenLifetimeSeconds);

export async function demoTokens(runtime: DevTokenSource): Promise<DevToken[]> {
  const secret = runtime.jwtSecret;
  if (!secret || !issuesDevTokens(runtime)) return [];
  const lifetime = devTokenLifetimeSeconds(runtime);
  return Promise.all(
    DEMO_SIGN_IN.map(async ({ label, user }) => {
      const person = DEMO_USERS[user];
      const token = await signDevToken(secret, { sub: person.userId, name: person.name, agency: person.agency, roles: [...person.roles], partnerships: [runtime.config.defaultPartnership] }, `${lifetime}s`);
      return { label, user, name: person.name, role: person.roles[0], agency: person.agency, token };
    }),
  );
}

/** The console's "sign in as" list, in the development quick start only. */
@Controller('v1/dev')
export class DevTokensController {
  constructor(@Inject(DEV_TOKEN_SOURCE) private readonly source: DevTokenSource) {}

  @Public()
  @Get('tokens')
  async tokens(): Promise<{ items: DevToken[] }> {
    if (!issuesDevTokens(this.source)) throw new ApiError('NOT_FOUND', 'development tokens exist only in the embedded quick start');
    return { items: await demoTokens(this.source) };
  }
}
