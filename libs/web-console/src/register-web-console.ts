/**
 * Serves the built console (apps/web/dist) from the API's Fastify instance at `/`, with a
 * single-page-app fallback: any GET that is not an API path and not a file answers index.html,
 * so `/problems/<id>` can be bookmarked. API paths (`/v1`, `/health`, `/docs`, `/metrics`,
 * `/admin`) are never answered with the page: unknown ones reach the app's problem+json 404.
 *
 * apps/api/src/create-app.ts calls it (from @tasking/web-console) on the API's Fastify instance:
 *   await registerWebConsole(fastify, webConsoleDir());
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths the console never answers for. */
export const API_PREFIXES = ['/v1', '/health', '/docs', '/metrics', '/admin'];

export interface WebConsoleOptions {
  /**
   * Content-Security-Policy of the page. The default allows the console's own scripts, https
   * connections (an OIDC issuer) and https images (a configured map tile server).
   */
  contentSecurityPolicy?: string | false;
  /** Logged once when the console has not been built; default console.warn. */
  warn?: (message: string) => void;
}

export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self' https:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Where the built console is: WEB_DIST_DIR, else apps/web/dist under the working directory or beside this file. */
export function webConsoleDir(env: Record<string, string | undefined> = process.env): string {
  const candidates = [
    env['WEB_DIST_DIR'],
    join(process.cwd(), 'apps', 'web', 'dist'),
    // from source: libs/web-console/src -> <root>/apps/web/dist
    resolve(__dirname, '..', '..', '..', 'apps', 'web', 'dist'),
    // compiled: dist/libs/web-console/src -> <root>/apps/web/dist
    resolve(__dirname, '..', '..', '..', '..', 'apps', 'web', 'dist'),
  ].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!;
}

const isApiPath = (path: string) => API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`) || path.startsWith(`${p}-`));

/** The types Vite emits; anything else is served as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** A request path as a file under `root`, or undefined (outside it, missing, or a folder). */
function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const absolute = resolve(root, `.${decoded}`);
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).some((part) => part.startsWith('.'))) return undefined;
  try {
    return statSync(absolute).isFile() ? rel.split(sep).join('/') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Registers the console's routes. Call before `app.init()` / `fastify.ready()`. When the console
 * has not been built, registers nothing and says so once (the API works without it).
 */
export async function registerWebConsole(fastify: FastifyInstance, distDir: string, options: WebConsoleOptions = {}): Promise<boolean> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) {
    (options.warn ?? console.warn)(`web console not served: ${join(root, 'index.html')} is missing (run npm run build:web)`);
    return false;
  }
  const csp = options.contentSecurityPolicy === undefined ? DEFAULT_CONTENT_SECURITY_POLICY : options.contentSecurityPolicy;

  // Plain streams rather than @fastify/static: a dozen lines, no ESM-only dependency for jest to trip on.
  const send = (reply: FastifyReply, file: string, cacheControl: string) => {
    reply.header('Cache-Control', cacheControl);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    return reply.send(createReadStream(join(root, file)));
  };

  await fastify.register(async (scope) => {
    const page = (reply: FastifyReply) => {
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('X-Frame-Options', 'DENY');
      if (csp) reply.header('Content-Security-Policy', csp);
      return send(reply, 'index.html', 'no-cache');
    };

    scope.get('/', (_request, reply) => page(reply));
    scope.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0]!;
      if (isApiPath(path)) return reply.callNotFound();
      const file = fileUnder(root, path);
      // Source maps are never served, even if a build left some behind: they are the console's source.
      if (file?.endsWith('.map')) return reply.callNotFound();
      if (file) {
        // Vite names assets by content hash: they never change under the same name.
        return send(reply, file, file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      }
      // A missing file (an old asset, a typo) is a 404, not the page: only page-like paths fall back.
      const last = path.slice(path.lastIndexOf('/') + 1);
      if (last.includes('.') || path.startsWith('/assets/')) return reply.callNotFound();
      return page(reply);
    });
  });
  return true;
}
