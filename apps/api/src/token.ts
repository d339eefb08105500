/**
 * Prints a signed development token (see USAGE). Signed with AUTH_JWT_SECRET, or with the secret
 * the embedded quick start keeps in DATA_DIR. Every refusal is one line on stderr and exit code 2.
 */
import { parseArgs } from 'node:util';
import { ROLES, signDevToken, type Role } from '@tasking/auth';
import { ConfigError, loadConfig } from '@tasking/shared';
import { developmentSecret } from '@tasking/runtime';

const USAGE = `usage: npm run token -- --sub <id> --agency <CODE> --roles <role,role> [--name <name>] [--partnerships <a,b>] [--expires <lifetime>]

Prints a signed development token for the embedded quick start or an AUTH_JWT_SECRET deployment.
  --sub           the user id (required)
  --agency        the agency code, e.g. POLICE (required)
  --roles         comma-separated: ${ROLES.join(', ')} (required)
  --name          display name (default: the user id)
  --partnerships  comma-separated partnership codes (default: the deployment's only partnership)
  --expires       lifetime such as 30m, 2h or 3600 (seconds): default and longest, AUTH_TOKEN_MAX_LIFETIME_SECONDS (12 h unless set)
  --help          this text`;

class UsageError extends Error {}

function readArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        sub: { type: 'string' },
        name: { type: 'string' },
        agency: { type: 'string' },
        roles: { type: 'string' },
        partnerships: { type: 'string' },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (npm run token -- --help)`);
  }
}

/** "3600" seconds, or a number with s, m, h or d. */
function lifetimeSeconds(text: string): number {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (!match) throw new UsageError(`--expires "${text}" is not a lifetime such as 30m, 2h or 3600`);
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

async function main(args: string[]): Promise<void> {
  const values = readArgs(args);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const missing = (['sub', 'agency', 'roles'] as const).filter((k) => !values[k]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')} (npm run token -- --help)`);
  const roles = values.roles!.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new UsageError(`unknown role(s): ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const config = loadConfig();
  if (config.auth.jwksUrl) throw new UsageError('tokens come from the identity provider when AUTH_JWKS_URL is set');
  const longest = config.auth.maxTokenLifetimeSeconds;
  const lifetime = values.expires === undefined ? Math.min(12 * 3600, longest) : lifetimeSeconds(values.expires);
  if (lifetime < 1 || lifetime > longest) {
    throw new UsageError(`--expires must be from 1 s to ${longest} s (AUTH_TOKEN_MAX_LIFETIME_SECONDS): the API refuses longer-lived tokens`);
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
    `${lifetime}s`,
  );
  console.log(token);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(error.message);
  else if (error instanceof ConfigError) for (const problem of error.problems) console.error(`config: ${problem}`);
  else console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
