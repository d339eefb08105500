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
    const plaintext = decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES));
    decipher.final(); // GCM yields nothing more here; it checks the tag (throws when it does not match)
    return plaintext.toString('utf8');
  } catch {
    return ERASED;
  }
}

/** Splits `location.address` / `hypotheses[]` into steps; `[]` means every element. */
const stepsCache = new Map<string, string[]>();
const steps = (path: string): string[] => {
  let found = stepsCache.get(path);
  if (!found) stepsCache.set(path, (found = path.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part]))));
  return found;
};

/**
 * `node` with the value(s) at `path` replaced by `replace(value, concretePath)` (`hypotheses[1]`
 * for `hypotheses[]`); copies only along the path, and answers `node` itself when nothing changed.
 * Absent values are not visited.
 */
export function updateAt(node: unknown, path: string, replace: (value: unknown, concretePath: string) => unknown): unknown {
  const walk = (current: unknown, rest: readonly string[], index: number, at: string): unknown => {
    if (index === rest.length) return replace(current, at);
    const step = rest[index]!;
    if (step === '[]') {
      if (!Array.isArray(current)) return current;
      let changed = false;
      const next = current.map((item, i) => {
        const updated = walk(item, rest, index + 1, `${at}[${i}]`);
        if (updated !== item) changed = true;
        return updated;
      });
      return changed ? next : current;
    }
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return current;
    const record = current as Record<string, unknown>;
    if (record[step] === undefined) return current;
    const updated = walk(record[step], rest, index + 1, at === '' ? step : `${at}.${step}`);
    return updated === record[step] ? current : { ...record, [step]: updated };
  };
  return walk(node, steps(path), 0, '');
}

/** Replaces the string(s) at `path` in `data` (a private copy, changed in place) through `replace`. */
export function mapStringsAt(data: Record<string, unknown>, path: string, replace: (value: string, concretePath: string) => unknown): void {
  const result = updateAt(data, path, (value, at) => (typeof value === 'string' ? replace(value, at) : value)) as Record<string, unknown>;
  if (result !== data) for (const key of Object.keys(result)) data[key] = result[key];
}

/** The sealed values at `path` in `data`, with their concrete paths. */
export function sealedAt(data: unknown, path: string, found: { path: string; sealed: Sealed }[] = []): { path: string; sealed: Sealed }[] {
  updateAt(data, path, (value, at) => {
    if (isSealed(value)) found.push({ path: at, sealed: value });
    return value;
  });
  return found;
}
