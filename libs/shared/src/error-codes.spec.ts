import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFUSALS } from '@tasking/domain';
import { ERROR_CODES, STATUS_BY_CODE, isErrorCode, statusOf, type ErrorCode } from './error-codes';
import { ApiError } from './problem';

/** The `| `CODE` | status |` rows of docs/api.md's Errors table. */
function documentedCodes(): Map<string, number> {
  const text = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');
  const section = text.slice(text.indexOf('## Errors'), text.indexOf('\n## ', text.indexOf('## Errors') + 1));
  return new Map([...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)]));
}

describe('error codes', () => {
  it('maps every code to its HTTP status as domain.md groups them', () => {
    const byStatus = (status: number) => ERROR_CODES.filter((code) => STATUS_BY_CODE[code] === status);
    expect(byStatus(409)).toEqual([
      'PROBLEM_CLOSED',
      'PROBLEM_NOT_CLOSED',
      'ACTIONS_OUTSTANDING',
      'ACTION_CLOSED',
      'ACTION_ALREADY_CLAIMED',
      'ACTION_NOT_CLAIMED',
      'ACTION_ALREADY_DECLINED',
      'MEETING_CLOSED',
      'ALREADY_EXISTS',
      'INCIDENT_ALREADY_TRIAGED',
      'INCIDENT_WITHDRAWN',
      'INCIDENT_NOT_LINKED',
      'WRONG_EXPECTED_REVISION',
    ]);
    expect(byStatus(403)).toEqual(['FORBIDDEN_ROLE', 'WRONG_AGENCY', 'NOT_CLAIMANT']);
    expect(byStatus(422)).toEqual(['UNKNOWN_AGENCY', 'AGENCY_INACTIVE', 'UNKNOWN_TACTIC', 'UNKNOWN_AREA', 'UNKNOWN_GROUP', 'UNKNOWN_SOURCE', 'IDEMPOTENCY_KEY_REUSED']);
    expect(byStatus(400)).toEqual(['VALIDATION_FAILED', 'TIME_BEFORE_LAST_EVENT', 'DUE_DATE_IN_PAST', 'IMPORT_FORMAT_INVALID']);
    expect(byStatus(401)).toEqual(['UNAUTHENTICATED']);
    expect(byStatus(404)).toEqual(['NOT_FOUND']);
    expect(byStatus(429)).toEqual(['RATE_LIMITED']);
    expect(byStatus(500)).toEqual(['INTERNAL']);
    expect(byStatus(503)).toEqual(['NOT_CAUGHT_UP', 'SERVICE_UNAVAILABLE', 'CLOCK_BEHIND', 'PACK_FAILED', 'STORAGE_FULL']);
    expect(byStatus(408)).toEqual(['REQUEST_TIMEOUT']);
    expect(byStatus(431)).toEqual(['HEADERS_TOO_LARGE']);
    expect(byStatus(405)).toEqual(['READ_ONLY']);
    expect(statusOf('WRONG_AGENCY')).toBe(403);
  });

  it('gives every code, the domain refusals included, a status of an error', () => {
    for (const code of Object.keys(REFUSALS)) expect(isErrorCode(code)).toBe(true);
    for (const code of ERROR_CODES) expect(statusOf(code) >= 400 && statusOf(code) < 600).toBe(true);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('is the list docs/api.md documents, each code with the same status', () => {
    const documented = documentedCodes();
    expect([...documented.keys()].sort()).toEqual([...ERROR_CODES].sort());
    for (const [code, status] of documented) expect([code, status]).toEqual([code, statusOf(code as ErrorCode)]);
  });

  it('gives an ApiError the status of its code', () => {
    expect(new ApiError('NOT_CAUGHT_UP', 'later')).toMatchObject({ status: 503, code: 'NOT_CAUGHT_UP', message: 'later', headers: {} });
    expect(new ApiError('VALIDATION_FAILED', 'bad', [{ field: 'x', message: 'y' }]).status).toBe(400);
    // @ts-expect-error a code the table does not list does not compile (npm run typecheck)
    expect(() => statusOf('NOT_A_CODE')).not.toThrow();
  });
});
