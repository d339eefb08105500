import { createHmac } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { ForbiddenTargetError, forbiddenAddressReason } from './address-policy';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>` (api.md, Webhooks to agencies). */
export function webhookSignature(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

export interface WebhookRequest {
  url: string;
  eventId: string;
  /** The exact bytes sent (and signed). */
  body: string;
  secret: string;
  /** Unix seconds at sending. */
  timestamp: number;
}

export interface WebhookResponse {
  status: number;
  /** The address actually connected to. */
  address: string | undefined;
}

export interface WebhookClientOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  /** DNS resolution (tests replace it to simulate rebinding). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

/** Only http(s), no credentials in the URL. */
export function assertAcceptableUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ForbiddenTargetError('the webhook URL does not parse');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ForbiddenTargetError(`webhooks go over http or https only, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new ForbiddenTargetError('the webhook URL carries credentials');
  if (url.hostname === '') throw new ForbiddenTargetError('the webhook URL has no host');
  return url;
}

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * POSTs one signed delivery. The host is resolved here and each address checked; the socket is
 * opened to a checked address (the URL's host stays in the Host header and the TLS server name),
 * and checked again once connected. Redirects are never followed: a 3xx is not an acknowledgement.
 */
export async function sendWebhook(request: WebhookRequest, options: WebhookClientOptions): Promise<WebhookResponse> {
  const url = assertAcceptableUrl(request.url);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const resolve = options.resolve ?? defaultResolve;
  const check = (address: string) => (options.allowPrivateTargets ? undefined : forbiddenAddressReason(address));

  let addresses: { address: string; family: number }[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (error) {
      throw new Error(`cannot resolve ${hostname}: ${(error as Error).message}`);
    }
  }
  const allowed = addresses.filter((a) => check(a.address) === undefined);
  if (allowed.length === 0) {
    const reason = addresses.length > 0 ? check(addresses[0]!.address) : 'it resolves to no address';
    throw new ForbiddenTargetError(`webhook target ${hostname} refused: ${reason}`);
  }
  const target = allowed[0]!;
  // The socket connects to the address checked above, whatever the resolver would say now.
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [target]);
    } else {
      callback(null, target.address, target.family);
    }
  };

  const timestamp = request.timestamp;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolvePromise, reject) => {
    let connected: string | undefined;
    const req = transport.request(
      {
        protocol: url.protocol,
        host: isIP(hostname) ? hostname : target.address,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        lookup: pinned,
        agent: false,
        timeout: options.timeoutMs,
        ...(url.protocol === 'https:' && !isIP(hostname) ? { servername: hostname } : {}),
        headers: {
          host: url.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'tasking-ledger-webhooks/1',
          'x-tasking-event-id': request.eventId,
          'x-tasking-timestamp': String(timestamp),
          'x-tasking-signature': webhookSignature(request.secret, timestamp, request.body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, address: connected }));
        res.on('error', reject);
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`the webhook did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`the webhook did not answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        connected = socket.remoteAddress;
        const reason = connected === undefined ? 'no remote address' : check(connected);
        if (reason) req.destroy(new ForbiddenTargetError(`webhook target ${hostname} refused after connecting: ${reason}`));
      });
    });
    req.end(request.body);
  });
}
