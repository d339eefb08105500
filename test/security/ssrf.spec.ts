import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ForbiddenTargetError, sendWebhook, type WebhookClientOptions } from '@tasking/jobs';

/**
 * OWASP API7 (SSRF): with WEBHOOK_ALLOW_PRIVATE_TARGETS off, the webhook client refuses every
 * loopback, private, link-local, metadata and IPv6 form of them, by address and by a name that
 * resolves to one, BEFORE opening any socket. The proof is a guard on `net.Socket#connect` that
 * records every connection attempt and lets none but loopback ones through (so even a broken
 * guard could not send a packet elsewhere). Redirects are not followed, shown with a loopback
 * server answering 3xx (private targets allowed for that first hop so it is reachable).
 * Complements libs/jobs/src/notifications/*.spec.ts (the policy's ranges, signatures, pinning)
 * and test/jobs/notifications.e2e-spec.ts (refused deliveries dead-lettered end to end).
 */

interface Attempt {
  host: string | undefined;
  port: number | undefined;
  allowed: boolean;
}

const LOOPBACK_LITERAL = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

/** Records every socket connect; only loopback literals go through, and only when `allowLoopback`. */
function guardSockets(allowLoopback: boolean): { attempts: Attempt[]; restore: () => void } {
  const attempts: Attempt[] = [];
  const original = net.Socket.prototype.connect;
  const spy = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    // net.connect hands over its normalised arguments as one array: [options, callback].
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number } | number;
    const options = typeof first === 'object' && first !== null ? first : { port: first as number, host: args[1] as string | undefined };
    const host = options.host;
    const allowed = allowLoopback && host !== undefined && LOOPBACK_LITERAL.test(host);
    attempts.push({ host, port: options.port === undefined ? undefined : Number(options.port), allowed });
    if (!allowed) {
      process.nextTick(() => this.destroy(new Error(`the test refused a connection to ${String(host)}:${String(options.port)}`)));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  return { attempts, restore: () => spy.mockRestore() };
}

const request = (url: string) => ({ url, eventId: 'evt-ssrf', body: '{"id":"evt-ssrf"}', secret: 's'.repeat(32), timestamp: Math.floor(Date.now() / 1000) });
const OFF: WebhookClientOptions = { timeoutMs: 2000, allowPrivateTargets: false };

describe('SSRF: webhook targets with WEBHOOK_ALLOW_PRIVATE_TARGETS off', () => {
  const ADDRESSES: [string, string][] = [
    // loopback, in the spellings a URL parser normalises to 127.0.0.1 or 0.0.0.0
    ['loopback', 'http://127.0.0.1:8080/hooks'],
    ['loopback /8', 'https://127.255.255.254/hooks'],
    ['loopback short form', 'http://127.1/hooks'],
    ['loopback as a decimal integer', 'http://2130706433/hooks'],
    ['loopback in hex', 'http://0x7f000001/hooks'],
    ['loopback in octal', 'http://0177.0.0.1/hooks'],
    ['unspecified', 'http://0.0.0.0/hooks'],
    ['unspecified, short', 'http://0/hooks'],
    // private ranges (never dialled: the guard must refuse first)
    ['10/8', 'http://10.0.0.1/hooks'],
    ['10/8 top', 'https://10.255.255.254/hooks'],
    ['172.16/12', 'http://172.16.0.1/hooks'],
    ['172.16/12 top', 'http://172.31.255.254/hooks'],
    ['192.168/16', 'http://192.168.0.1/hooks'],
    ['192.168/16 top', 'https://192.168.255.254:8443/hooks'],
    ['carrier-grade NAT', 'http://100.64.0.1/hooks'],
    // link-local and cloud metadata
    ['link-local', 'http://169.254.1.1/hooks'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['metadata, decimal', 'http://2852039166/latest/meta-data/'],
    ['AWS metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    // IPv6 loopback, unique local, link-local, unspecified
    ['IPv6 loopback', 'http://[::1]:8080/hooks'],
    ['IPv6 loopback, long form', 'http://[0:0:0:0:0:0:0:1]/hooks'],
    ['IPv6 unspecified', 'http://[::]/hooks'],
    ['IPv6 unique local fc00::/7', 'http://[fc00::1]/hooks'],
    ['IPv6 unique local fd', 'https://[fd12:3456:789a::1]/hooks'],
    ['IPv6 link-local', 'http://[fe80::1]/hooks'],
    // IPv4-mapped and other IPv6 forms carrying a private IPv4 address
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hooks'],
    ['IPv4-mapped loopback, hex', 'http://[::ffff:7f00:1]/hooks'],
    ['IPv4-mapped 10/8', 'http://[::ffff:10.0.0.1]/hooks'],
    ['IPv4-mapped 192.168/16', 'http://[::ffff:192.168.1.1]/hooks'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/hooks'],
    ['NAT64 of metadata', 'http://[64:ff9b::a9fe:a9fe]/hooks'],
    ['6to4 of loopback', 'http://[2002:7f00:1::1]/hooks'],
  ];

  it('(self-check) the socket guard sees a connection the address policy lets through, and stops it before any packet', async () => {
    const guard = guardSockets(false);
    try {
      // With private targets allowed the client dials; the guard records the attempt and refuses it.
      await expect(sendWebhook(request('http://10.0.0.1:8080/hooks'), { timeoutMs: 2000, allowPrivateTargets: true })).rejects.toThrow(/the test refused a connection to 10\.0\.0\.1/);
      expect(guard.attempts).toEqual([{ host: '10.0.0.1', port: 8080, allowed: false }]);
    } finally {
      guard.restore();
    }
  });

  it.each(ADDRESSES)('refuses %s (%s) without opening a socket', async (_name, url) => {
    const guard = guardSockets(false);
    try {
      await expect(sendWebhook(request(url), OFF)).rejects.toBeInstanceOf(ForbiddenTargetError);
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });

  const NAMES: [string, { address: string; family: number }[]][] = [
    ['hooks.internal.test', [{ address: '10.1.2.3', family: 4 }]],
    ['db.internal.test', [{ address: '172.20.0.5', family: 4 }]],
    ['router.internal.test', [{ address: '192.168.1.254', family: 4 }]],
    ['metadata.google.internal', [{ address: '169.254.169.254', family: 4 }]],
    ['loopback.test', [{ address: '127.0.0.1', family: 4 }]],
    ['v6-loopback.test', [{ address: '::1', family: 6 }]],
    ['v6-ula.test', [{ address: 'fd00::17', family: 6 }]],
    ['v6-link-local.test', [{ address: 'fe80::1', family: 6 }]],
    ['mapped.test', [{ address: '::ffff:127.0.0.1', family: 6 }]],
    ['mapped-metadata.test', [{ address: '::ffff:a9fe:a9fe', family: 6 }]],
    [
      'every-address-private.test',
      [
        { address: '10.0.0.1', family: 4 },
        { address: '192.168.0.1', family: 4 },
        { address: 'fd00::1', family: 6 },
        { address: '::1', family: 6 },
      ],
    ],
    ['resolves-to-nothing.test', []],
  ];

  it.each(NAMES)('refuses the name %s by the addresses it resolves to, without opening a socket', async (name, addresses) => {
    const guard = guardSockets(false);
    const asked: string[] = [];
    const resolve = async (host: string) => {
      asked.push(host);
      return addresses;
    };
    try {
      await expect(sendWebhook(request(`https://${name}/hooks`), { ...OFF, resolve })).rejects.toBeInstanceOf(ForbiddenTargetError);
      await expect(sendWebhook(request(`http://${name}:8080/hooks`), { ...OFF, resolve })).rejects.toBeInstanceOf(ForbiddenTargetError);
      expect(asked).toEqual([name, name]);
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });

  it('refuses localhost through the system resolver (no DNS query leaves the machine for it), without opening a socket', async () => {
    const guard = guardSockets(false);
    try {
      await expect(sendWebhook(request('http://localhost:8080/hooks'), OFF)).rejects.toThrow(/localhost refused/);
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });

  it('refuses URLs that are not plain http(s) without credentials, without opening a socket', async () => {
    const guard = guardSockets(false);
    try {
      for (const url of ['ftp://files.example/x', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO', 'http://user:pw@hooks.example/x', 'http://:pw@hooks.example/', 'not a url', 'http://[fe80::1%25eth0]/']) {
        await expect(sendWebhook(request(url), OFF)).rejects.toBeInstanceOf(ForbiddenTargetError);
      }
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });
});

describe('SSRF: redirects are never followed', () => {
  let first: http.Server;
  let second: http.Server;
  let secondHits = 0;
  let firstHits = 0;
  let status = 302;

  const listen = (server: http.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

  beforeAll(async () => {
    second = http.createServer((_req, res) => {
      secondHits += 1;
      res.writeHead(200).end('ok');
    });
    const secondPort = await listen(second);
    first = http.createServer((req, res) => {
      firstHits += 1;
      req.resume();
      req.on('end', () => res.writeHead(status, { location: `http://127.0.0.1:${secondPort}/stolen` }).end());
    });
    await listen(first);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => first.close(() => resolve()));
    await new Promise<void>((resolve) => second.close(() => resolve()));
  });

  it.each([301, 302, 303, 307, 308])('answers %s as the status, with one connection, to the first server only', async (code) => {
    status = code;
    firstHits = 0;
    secondHits = 0;
    const guard = guardSockets(true);
    try {
      const port = (first.address() as AddressInfo).port;
      // Private targets allowed for this first hop only so a loopback server can stand in for a remote one.
      const response = await sendWebhook(request(`http://127.0.0.1:${port}/hooks`), { timeoutMs: 2000, allowPrivateTargets: true });
      expect(response.status).toBe(code);
      expect(firstHits).toBe(1);
      expect(secondHits).toBe(0);
      expect(guard.attempts).toEqual([{ host: '127.0.0.1', port, allowed: true }]);
    } finally {
      guard.restore();
    }
  });
});
