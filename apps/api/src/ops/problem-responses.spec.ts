import { ERROR_CODES, statusOf } from '@tasking/shared';
import { problemResponses } from './openapi';

describe('the OpenAPI problem responses', () => {
  it('name every code under its status, and no status without a code', () => {
    const responses = problemResponses();
    for (const code of ERROR_CODES) expect(responses[String(statusOf(code))]).toMatch(new RegExp(`\\b${code}\\b`));
    const named = Object.values(responses).flatMap((description) => description.split(':')[0].split(', '));
    expect(named.sort()).toEqual([...ERROR_CODES].sort());
  });
});
