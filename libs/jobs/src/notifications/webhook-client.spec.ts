import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ForbiddenTargetError } from './address-policy';
import { sendWebhook, webhookSignature } from './webhook-client';

describe('sendWebhook', () => {
  let server: http.Server;
  let port: number;
  const seen: { host?: string; headers: http.IncomingHttpHeaders; body: string; url?: string }[] = [];
  let answer: (res: http.ServerResponse) => void = (res) => res.writeHead(204).end();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answer = (res) => res.writeHead(204).end();
  });

  const request = (url: string) => ({ url, eventId: 'e1', body: '{"a":1}', secret: 's'.repeat(32), timestamp: 1_700_000_000 });

  it('signs timestamp.body with HMAC-SHA256 and keeps the URL host in the Host header', async () => {
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const response = await sendWebhook(request(`http://hooks.example:${port}/in?x=1`), { timeoutMs: 2000, allowPrivateTargets: true, resolve });
    expect(response).toEqual({ status: 204, address: '127.0.0.1' });
    expect(seen[0]!.host).toBe(`hooks.example:${port}`);
    expect(seen[0]!.url).toBe('/in?x=1');
    expect(seen[0]!.headers['x-tasking-signature']).toBe(`sha256=${createHmac('sha256', 's'.repeat(32)).update('1700000000.{"a":1}').digest('hex')}`);
    expect(seen[0]!.headers['x-tasking-signature']).toBe(webhookSignature('s'.repeat(32), 1_700_000_000, '{"a":1}'));
    expect(seen[0]!.headers['x-tasking-timestamp']).toBe('1700000000');
    expect(seen[0]!.headers['x-tasking-event-id']).toBe('e1');
  });

  it('refuses a name resolving to a private address (DNS rebinding), and any name when all of its addresses are private', async () => {
    const rebinding = async () => [{ address: '10.0.0.5', family: 4 }];
    await expect(sendWebhook(request(`http://rebind.example:${port}/`), { timeoutMs: 1000, allowPrivateTargets: false, resolve: rebinding })).rejects.toBeInstanceOf(ForbiddenTargetError);
    await expect(sendWebhook(request(`http://[::ffff:127.0.0.1]:${port}/`), { timeoutMs: 1000, allowPrivateTargets: false })).rejects.toThrow(/IPv4-mapped/);
    await expect(sendWebhook(request(`http://169.254.169.254/latest/meta-data`), { timeoutMs: 1000, allowPrivateTargets: false })).rejects.toBeInstanceOf(ForbiddenTargetError);
    expect(seen).toHaveLength(0);
  });

  it('connects only to the checked address of a name with several', async () => {
    const mixed = async () => [
      { address: '10.0.0.5', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    // Only addresses that pass the check are dialled; here none does.
    await expect(sendWebhook(request(`http://mixed.example:${port}/`), { timeoutMs: 1000, allowPrivateTargets: false, resolve: mixed })).rejects.toBeInstanceOf(ForbiddenTargetError);
  });

  it('does not follow redirects', async () => {
    answer = (res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    const response = await sendWebhook(request(`http://127.0.0.1:${port}/`), { timeoutMs: 1000, allowPrivateTargets: true });
    expect(response.status).toBe(302);
    expect(seen).toHaveLength(1);
  });

  it('refuses URLs with credentials or another scheme, and gives up after the timeout', async () => {
    await expect(sendWebhook(request(`http://user:pw@127.0.0.1:${port}/`), { timeoutMs: 1000, allowPrivateTargets: true })).rejects.toThrow(/credentials/);
    await expect(sendWebhook(request('ftp://example.org/'), { timeoutMs: 1000, allowPrivateTargets: true })).rejects.toThrow(/http or https/);
    answer = () => undefined; // never answers
    await expect(sendWebhook(request(`http://127.0.0.1:${port}/`), { timeoutMs: 200, allowPrivateTargets: true })).rejects.toThrow(/did not answer within 200 ms/);
  });
});
