import { createHash } from 'node:crypto';
import { API_KEY, apiKeyMatches, hashApiKey, issueApiKey, keyPrefixOf } from './api-keys';

describe('Open311 API keys', () => {
  it('are 128 random bits in hex, with their prefix and SHA-256', () => {
    const issued = issueApiKey();
    expect(issued.apiKey).toMatch(API_KEY);
    expect(issued.keyPrefix).toBe(issued.apiKey.slice(0, 8));
    expect(issued.keyHash).toBe(createHash('sha256').update(issued.apiKey).digest('hex'));
  });

  it('takes its 16 bytes from the random source', () => {
    const issued = issueApiKey((n) => Buffer.alloc(n, 0xab));
    expect(issued.apiKey).toBe('ab'.repeat(16));
    expect(issued.keyPrefix).toBe('abababab');
  });

  it('two keys differ', () => {
    expect(issueApiKey().apiKey).not.toBe(issueApiKey().apiKey);
  });

  it('matches only the key whose hash is stored', () => {
    const { apiKey, keyHash } = issueApiKey();
    const other = issueApiKey().apiKey;
    expect(apiKeyMatches(apiKey, keyHash)).toBe(true);
    expect(apiKeyMatches(other, keyHash)).toBe(false);
    expect(apiKeyMatches(keyPrefixOf(apiKey), keyHash)).toBe(false);
    expect(apiKeyMatches(apiKey.toUpperCase(), keyHash)).toBe(false);
    expect(apiKeyMatches(apiKey, 'not a hash')).toBe(false);
  });

  it('hashes as hex SHA-256', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
