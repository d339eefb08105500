/**
 * Prints a signed development token:
 *   npm run token -- --sub u1 --name "Insp. Ada Khan" --agency POLICE --roles inspector,officer [--partnerships default] [--expires 12h]
 * Signed with AUTH_JWT_SECRET, or with the secret the embedded quick start keeps in DATA_DIR.
 */
import { parseArgs } from 'node:util';
import { ROLES, signDevToken, type Role } from '@tasking/auth';
import { loadConfig } from '@tasking/shared';
import { developmentSecret } from './runtime';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      roles: { type: 'string' },
      partnerships: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const missing = (['sub', 'agency', 'roles'] as const).filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`usage: npm run token -- --sub <id> --name <name> --agency <CODE> --roles inspector,officer [--partnerships a,b] (missing: ${missing.join(', ')})`);
    process.exit(2);
  }
  const roles = values.roles!.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    console.error(`unknown role(s): ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  if (config.auth.jwksUrl) {
    console.error('tokens come from the identity provider when AUTH_JWKS_URL is set');
    process.exit(2);
  }
  const secret = config.auth.jwtSecret ?? developmentSecret(config.dataDir);
  const token = await signDevToken(
    secret,
    {
      sub: values.sub!,
      name: values.name ?? values.sub!,
      agency: values.agency!.toUpperCase(),
      roles: roles as Role[],
      ...(values.partnerships ? { partnerships: values.partnerships.split(',').map((p) => p.trim()) } : {}),
    },
    values.expires,
  );
  console.log(token);
}

void main();
