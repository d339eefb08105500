import { Controller, Get, Inject } from '@nestjs/common';
import { Public, signDevToken } from '@tasking/auth';
import { ApiError } from '@tasking/shared';
import { RUNTIME } from '../tokens';
import type { Runtime } from '../runtime';
import { DEMO_SIGN_IN, DEMO_USERS } from './demo-users';

export interface DevToken {
  label: string;
  user: string;
  name: string;
  role: string;
  agency: string;
  token: string;
}

/** Only the embedded quick start, whose secret was generated on this machine, hands out tokens. */
export function issuesDevTokens(runtime: Runtime): boolean {
  return runtime.db.kind === 'embedded' && !runtime.config.auth.jwtSecret && !runtime.config.auth.jwksUrl && runtime.jwtSecret !== undefined;
}

export async function demoTokens(runtime: Runtime): Promise<DevToken[]> {
  const secret = runtime.jwtSecret;
  if (!secret) return [];
  return Promise.all(
    DEMO_SIGN_IN.map(async ({ label, user }) => {
      const person = DEMO_USERS[user];
      const token = await signDevToken(secret, { sub: person.userId, name: person.name, agency: person.agency, roles: [...person.roles], partnerships: [runtime.config.defaultPartnership] }, '12h');
      return { label, user, name: person.name, role: person.roles[0], agency: person.agency, token };
    }),
  );
}

/** The console's "sign in as" list, in the development quick start only. */
@Controller('v1/dev')
export class DevTokensController {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  @Public()
  @Get('tokens')
  async tokens(): Promise<{ items: DevToken[] }> {
    if (!issuesDevTokens(this.runtime)) throw new ApiError('NOT_FOUND', 'development tokens exist only in the embedded quick start');
    return { items: await demoTokens(this.runtime) };
  }
}
