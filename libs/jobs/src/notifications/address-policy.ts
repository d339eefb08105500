import { isIP } from 'node:net';

/**
 * Which addresses a webhook may connect to. Refused unless private targets are allowed: loopback,
 * private (RFC 1918, unique local), link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254
 * included), carrier-grade NAT, unspecified, multicast, reserved and documentation ranges, and the
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), which
 * are judged by the IPv4 address inside them.
 */

type Range = readonly [base: readonly number[], bits: number];

const V4_FORBIDDEN: readonly Range[] = [
  [[0, 0, 0, 0], 8], // "this network", 0.0.0.0
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // TEST-NET-1
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // TEST-NET-2
  [[203, 0, 113, 0], 24], // TEST-NET-3
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

const V6_FORBIDDEN: readonly Range[] = [
  [[0xfc00], 7], // unique local (fd00:ec2::254, the AWS metadata address, is in it)
  [[0xfe80], 10], // link-local
  [[0xfec0], 10], // site-local (deprecated)
  [[0xff00], 8], // multicast
  [[0x2001, 0x0db8], 32], // documentation
  [[0x0100, 0, 0, 0], 64], // discard-only
  [[0x2001, 0x0000], 32], // Teredo: the client address inside is obfuscated, refuse it whole
  [[0x2001, 0x0010], 28], // ORCHID
];

export class ForbiddenTargetError extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenTargetError';
  }
}

function inRange(bytesOrWords: readonly number[], range: Range, width: number): boolean {
  const [base, bits] = range;
  let remaining = bits;
  for (let i = 0; remaining > 0; i += 1, remaining -= width) {
    const take = Math.min(width, remaining);
    const mask = take === width ? 2 ** width - 1 : ((2 ** width - 1) << (width - take)) & (2 ** width - 1);
    if (((bytesOrWords[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** Eight 16-bit words of an IPv6 address (a zone id is dropped, an embedded dotted quad is read). */
export function parseV6(input: string): number[] | undefined {
  let address = input.replace(/^\[|\]$/g, '');
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (isIP(address) !== 6) return undefined;
  let tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  const last = address.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseV4(last);
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    address = `${address.slice(0, lastColon + 1)}${tail.length ? '0:0' : ''}`;
  }
  const [head, rest] = address.split('::') as [string, string | undefined];
  const words = (part: string) => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  let result: number[];
  if (rest === undefined) {
    result = words(head);
  } else {
    const left = words(head);
    const right = words(rest);
    result = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  if (tail.length) result.splice(6, 2, ...tail);
  return result.length === 8 && result.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? result : undefined;
}

const v4FromWords = (high: number, low: number): number[] => [high >> 8, high & 0xff, low >> 8, low & 0xff];

/** The reason an address may not be connected to, or undefined when it may. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address.replace(/^\[|\]$/g, '').split('%')[0]!);
  if (family === 4) {
    const bytes = parseV4(address)!;
    return V4_FORBIDDEN.some((range) => inRange(bytes, range, 8)) ? `${address} is a private, loopback, link-local or reserved address` : undefined;
  }
  if (family !== 6) return `${address} is not an IP address`;
  const words = parseV6(address);
  if (!words) return `${address} is not an IP address`;
  const zeros = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zeros(0, 8)) return `${address} is the unspecified address`;
  if (zeros(0, 7) && words[7] === 1) return `${address} is the loopback address`;
  const embedded = (v4: number[], form: string) => {
    const inner = v4.join('.');
    const reason = forbiddenAddressReason(inner);
    return reason ? `${address} is an ${form} form of ${inner}, which is refused` : undefined;
  };
  // IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d and IPv4-compatible ::a.b.c.d
  if (zeros(0, 5) && words[5] === 0xffff) return embedded(v4FromWords(words[6]!, words[7]!), 'IPv4-mapped');
  if (zeros(0, 4) && words[4] === 0xffff && words[5] === 0) return embedded(v4FromWords(words[6]!, words[7]!), 'IPv4-translated');
  if (zeros(0, 6)) return embedded(v4FromWords(words[6]!, words[7]!), 'IPv4-compatible') ?? `${address} is a reserved address`;
  // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
  if (words[0] === 0x64 && words[1] === 0xff9b) return embedded(v4FromWords(words[6]!, words[7]!), 'NAT64');
  // 6to4 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
  if (words[0] === 0x2002) return embedded(v4FromWords(words[1]!, words[2]!), '6to4');
  return V6_FORBIDDEN.some((range) => inRange(words, range, 16)) ? `${address} is a private, link-local, multicast or reserved address` : undefined;
}
