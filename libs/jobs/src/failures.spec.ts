import { scrubFailure } from './job-queues';

describe('scrubFailure: what a failed job keeps in Redis', () => {
  it('hides file paths of the server, keeps the rest of the message and the error class', () => {
    class DelayedLike extends Error {}
    const error = new DelayedLike("ENOENT: no such file or directory, open '/srv/app/data/packs/x.json' (at file:///srv/app/dist/main.js:3)");
    expect(scrubFailure(error)).toBe(error);
    expect(error).toBeInstanceOf(DelayedLike);
    expect(error.message).toBe("ENOENT: no such file or directory, open '<path>' (at <path>:3)");
  });

  it('leaves URLs, ids and fractions alone', () => {
    const message = 'webhook https://agency.example/hooks/tasking answered 500 for action 1f0e/2 in C:\\app\\dist\\x.js';
    const error = scrubFailure(new Error(message)) as Error;
    expect(error.message).toBe('webhook https://agency.example/hooks/tasking answered 500 for action 1f0e/2 in <path>');
  });

  it('bounds the length', () => {
    expect((scrubFailure(new Error('x'.repeat(5000))) as Error).message).toHaveLength(500);
  });
});
