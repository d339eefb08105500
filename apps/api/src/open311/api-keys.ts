import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Open311 API keys (evidence.md, "Clients"): 128 random bits as 32 hex digits, shown once. Stored
 * as a SHA-256, found by the short prefix: a key is long and random, so a fast hash suffices, and
 * a slow one would throttle every post.
 */
export type IssuedApiKey = { apiKey: string; keyPrefix: string; keyHash: string };

export const API_KEY = /^[0-9a-f]{32}$/;
export const KEY_PREFIX_LENGTH = 8;

export const keyPrefixOf = (apiKey: string): string => apiKey.slice(0, KEY_PREFIX_LENGTH);

export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex');

export function issueApiKey(random: (bytes: number) => Buffer = randomBytes): IssuedApiKey {
  const apiKey = random(16).toString('hex');
  return { apiKey, keyPrefix: keyPrefixOf(apiKey), keyHash: hashApiKey(apiKey) };
}

/** Whether `given` is the key whose hash is stored; in constant time for keys of the right shape. */
export function apiKeyMatches(given: string, storedHash: string): boolean {
  if (!API_KEY.test(given) || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashApiKey(given), 'hex'), Buffer.from(storedHash, 'hex'));
}
