import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  eventId: string;
  timestamp: number;
  signature: string;
  body: string;
  validSignature: boolean;
  answered: number;
  at: number;
}

/**
 * A webhook receiver on loopback that checks signatures as api.md tells receivers to, answers
 * 500 to the first `failFirst` attempts of each event id, then 200, and remembers everything.
 */
export async function startReceiver(secret: string, options: { failFirst?: number; answer?: (receipt: Omit<Receipt, 'answered'>) => number | undefined } = {}) {
  const receipts: Receipt[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(req.headers['x-tasking-event-id'] ?? '');
      const timestamp = Number(req.headers['x-tasking-timestamp']);
      const signature = String(req.headers['x-tasking-signature'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
      const validSignature = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      const seen = (attempts.get(eventId) ?? 0) + 1;
      attempts.set(eventId, seen);
      const base = { eventId, timestamp, signature, body, validSignature, at: Date.now() };
      const answered = options.answer?.(base) ?? (seen <= (options.failFirst ?? 0) ? 500 : validSignature ? 200 : 401);
      receipts.push({ ...base, answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (host = '127.0.0.1', path = '/hooks/tasking') => `http://${host}:${port}${path}`,
    receipts,
    acknowledged: () => receipts.filter((r) => r.answered === 200),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
