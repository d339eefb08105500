import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ERASED } from '@tasking/domain';

/**
 * One encrypted field as it sits in an event's data: `{"$enc": "v1.<keyId>.<base64url(iv | ciphertext | tag)>"}`.
 * An object where the domain has a string, so encrypted and plain values can never be confused
 * (a body field that is a string cannot hold it), and legacy plain strings read as they are.
 * AES-256-GCM with a fresh 96-bit IV; the key id, the event id and the field's path are
 * authenticated data, so a value copied into another field or event does not decrypt.
 */
export interface Sealed {
  $enc: string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const isSealed = (value: unknown): value is Sealed =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Sealed).$enc === 'string' && Object.keys(value).length === 1;

const aad = (keyId: string, eventId: string, path: string): Buffer => Buffer.from(`tasking-ledger/personal-data/${VERSION}\n${keyId}\n${eventId}\n${path}`, 'utf8');

export function seal(plaintext: string, keyId: string, key: Buffer, eventId: string, path: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(keyId, eventId, path));
  const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { $enc: `${VERSION}.${keyId}.${body.toString('base64url')}` };
}

/** The key id a sealed value names, or undefined for a value this version cannot read. */
export function sealedKeyId(value: Sealed): string | undefined {
  const [version, keyId] = value.$enc.split('.', 3);
  return version === VERSION && keyId ? keyId : undefined;
}

/** The plaintext, or ERASED when the key is gone (or the value does not authenticate). */
export function open(value: Sealed, key: Buffer | null | undefined, eventId: string, path: string): string {
  const [version, keyId, body] = value.$enc.split('.', 3);
  if (!key || version !== VERSION || !keyId || !body) return ERASED;
  try {
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(keyId, eventId, path));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return ERASED;
  }
}

/** Splits `location.address` / `hypotheses[]` into steps; `[]` means every element. */
const steps = (path: string): string[] => path.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part]));

/**
 * Replaces the string(s) at `path` in `data` (already a private copy) through `replace`, which
 * gets the concrete path (`hypotheses[1]`) of each. Values that are absent or not strings stay.
 */
export function mapStringsAt(data: Record<string, unknown>, path: string, replace: (value: string, concretePath: string) => unknown): void {
  const walk = (node: unknown, rest: string[], at: string): unknown => {
    if (rest.length === 0) return typeof node === 'string' ? replace(node, at) : node;
    const [step, ...tail] = rest as [string, ...string[]];
    if (step === '[]') return Array.isArray(node) ? node.map((item, i) => walk(item, tail, `${at}[${i}]`)) : node;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    const record = node as Record<string, unknown>;
    if (!(step in record)) return node;
    return { ...record, [step]: walk(record[step], tail, at === '' ? step : `${at}.${step}`) };
  };
  const result = walk(data, steps(path), '') as Record<string, unknown>;
  for (const key of Object.keys(result)) data[key] = result[key];
}

/** Every sealed value in `value` with its concrete path (`location.address`, `hypotheses[1]`). */
export function findSealed(value: unknown, at = '', found: { path: string; sealed: Sealed }[] = []): { path: string; sealed: Sealed }[] {
  if (isSealed(value)) found.push({ path: at, sealed: value });
  else if (Array.isArray(value)) value.forEach((item, i) => findSealed(item, `${at}[${i}]`, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) findSealed(item, at === '' ? key : `${at}.${key}`, found);
  }
  return found;
}

/** A copy of `value` with every sealed value replaced by `open(sealed, path)`. */
export function openAll(value: unknown, openOne: (sealed: Sealed, path: string) => string, at = ''): unknown {
  if (isSealed(value)) return openOne(value, at);
  if (Array.isArray(value)) return value.map((item, i) => openAll(item, openOne, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, openAll(item, openOne, at === '' ? key : `${at}.${key}`)]));
  }
  return value;
}
