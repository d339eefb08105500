import fc from 'fast-check';

/** Strings that have broken other services: injections, encodings, sizes, JavaScript names. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  "1; SELECT pg_sleep(30); --",
  "$$; COPY (SELECT 1) TO PROGRAM 'id'; $$",
  '") OR ("1"="1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  'javascript:alert(1)',
  '${7*7}',
  '{{constructor.constructor("return process")()}}',
  '#{7*7}',
  '=HYPERLINK("http://evil.example","x")',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '@SUM(1+1)',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\uffff',
  '\ufeff',
  '\u202eevil',
  '\u200b',
  '\r\nSet-Cookie: x=1',
  '\t\n\r\v\f',
  '🙂'.repeat(60),
  'Z\u0351\u0352\u0357\u0310\u0315'.repeat(40),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x7fffffff',
  '9'.repeat(40),
  ' ',
  '',
  'A'.repeat(64),
  'A'.repeat(65),
  'a'.repeat(201),
  'a'.repeat(1001),
  'a'.repeat(5001),
  'POLICE',
  'police',
  'COUNCIL-ASB',
  'enfield-town',
  'north',
  'south',
  'default',
  '2025-03-01T09:00:00Z',
  '2999-01-01T00:00:00Z',
  '0000-00-00',
  '2025-02-30',
  '2025-03-01T09:00:00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-4000-8000-00000000000G',
];

export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'agency', 'partnership', 'actor', 'role', 'roles', 'id', 'revision', 'position', 'isAdmin', '$where', '$gt', '', ' ', 'a.b', 'a[0]', '🙂'];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(10_000, 100_000, 250_000).map((n) => 'x'.repeat(n)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 91, -181, 101, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, 2 ** 31, -(2 ** 63)),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Arbitrary JSON-ish values, with hostile leaves and keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), tie('value')), { maxLength: 6 }).map(ownObject),
})).value;

/** An object with exactly these own, enumerable properties (`__proto__` included, as JSON.parse makes it). */
export function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

/** Every path to a value inside a JSON value (objects and arrays), the root excluded. */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  for (const [key, item] of entries) {
    out.push([...prefix, key]);
    pathsOf(item, [...prefix, key], out);
  }
  return out;
}

const clone = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

function setAt(root: unknown, path: (string | number)[], replace: (old: unknown) => unknown | typeof REMOVE): unknown {
  const copy = clone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const next = replace(parent[last]);
  if (next === REMOVE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value: next, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}
const REMOVE = Symbol('remove');

export type Mutation =
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'remove'; pick: number }
  | { kind: 'add'; pick: number; key: string; value: unknown }
  | { kind: 'wrap'; pick: number; depth: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })), value: hostileValue }),
  fc.record({ kind: fc.constant('wrap' as const), pick: fc.nat(), depth: fc.integer({ min: 1, max: 50 }) }),
);

/** A valid body with one hostile change: the cases that get furthest into validation and the handlers. */
export function mutate(body: unknown, change: Mutation): unknown {
  const paths = pathsOf(body);
  if (paths.length === 0) return change.kind === 'add' ? ownObject([[change.key, change.value]]) : body;
  const path = paths[change.pick % paths.length]!;
  switch (change.kind) {
    case 'replace':
      return setAt(body, path, () => change.value);
    case 'remove':
      return setAt(body, path, () => REMOVE);
    case 'add': {
      const target = path.slice(0, -1);
      if (target.length === 0) return ownObject([...Object.entries(body as object), [change.key, change.value]]);
      return setAt(body, target, (old) => (old !== null && typeof old === 'object' && !Array.isArray(old) ? ownObject([...Object.entries(old), [change.key, change.value]]) : change.value));
    }
    case 'wrap':
      return setAt(body, path, (old) => {
        let value = old;
        for (let i = 0; i < change.depth; i += 1) value = i % 2 ? [value] : { value };
        return value;
      });
  }
}

/** Raw bodies no JSON serialiser would write. */
export const RAW_BODIES: readonly (string | Buffer)[] = [
  '',
  'null',
  'true',
  '0',
  '-0',
  '1e309',
  '"a string"',
  '[]',
  '[{}]',
  '{',
  '}',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":1}{"b":2}',
  '{"__proto__":{"isAdmin":true,"roles":["admin"]}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":{"__proto__":{"polluted":1}}}',
  '{"title":"a","title":"b"}',
  '{"title":"\\ud800\\udc00\\ud800"}',
  '{"title":"\\u0000"}',
  '\ufeff{}',
  '{"a":"\u0007\u001b[31m"}',
  Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xfd, 0x22, 0x7d]), // {"title":"<invalid UTF-8>"}
  Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), // an invalid two-byte sequence in a key
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a UTF-8 byte order mark, then {}
  Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]), // UTF-16 BE
  Buffer.from([0x80, 0x81, 0x82, 0x83]),
  Buffer.from('{"note":"\xed\xa0\x80"}', 'latin1'), // an encoded surrogate (CESU)
  '['.repeat(5_000) + ']'.repeat(5_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  '['.repeat(100_000),
  `[${'1,'.repeat(100_000)}1]`,
  `{"title":"${'x'.repeat(300_000)}"}`,
  `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
];
