import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '@tasking/auth';
import { CONFIG } from '@tasking/runtime';
import type { Config } from '@tasking/shared';

export interface ConsoleConfig {
  oidc?: { issuer: string; clientId: string; scope: string };
  claims?: { sub: string; name: string; agency: string; roles: string; partnerships: string };
  map?: { tileUrl: string; attribution?: string };
}

/** What the browser console needs before sign-in: how to sign in and where map tiles come from. */
@Controller('v1')
export class ConsoleConfigController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @Public()
  @Get('console-config')
  consoleConfig(): ConsoleConfig {
    const { config } = this;
    return {
      ...(config.auth.jwksUrl && config.auth.issuer && config.consoleOidcClientId
        ? { oidc: { issuer: config.auth.issuer, clientId: config.consoleOidcClientId, scope: config.consoleOidcScope } }
        : {}),
      claims: { sub: config.auth.claims.sub, name: config.auth.claims.name, agency: config.auth.claims.agency, roles: config.auth.claims.roles, partnerships: config.auth.claims.partnerships },
      ...(config.mapTileUrl ? { map: { tileUrl: config.mapTileUrl, ...(config.mapTileAttribution ? { attribution: config.mapTileAttribution } : {}) } } : {}),
    };
  }
}
