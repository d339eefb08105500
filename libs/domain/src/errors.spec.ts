import { ERROR_CODES, HTTP_STATUS_BY_CODE, httpStatusOf } from './errors';

describe('errors', () => {
  it('maps every code to its HTTP status as domain.md groups them', () => {
    const byStatus = (status: number) => ERROR_CODES.filter((code) => HTTP_STATUS_BY_CODE[code] === status);
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
      'WRONG_EXPECTED_REVISION',
    ]);
    expect(byStatus(403)).toEqual(['FORBIDDEN_ROLE', 'WRONG_AGENCY', 'NOT_CLAIMANT']);
    expect(byStatus(422)).toEqual(['UNKNOWN_AGENCY', 'AGENCY_INACTIVE', 'UNKNOWN_TACTIC', 'UNKNOWN_AREA', 'UNKNOWN_GROUP', 'IDEMPOTENCY_KEY_REUSED']);
    expect(byStatus(400)).toEqual(['VALIDATION_FAILED', 'TIME_BEFORE_LAST_EVENT', 'DUE_DATE_IN_PAST']);
    expect(byStatus(401)).toEqual(['UNAUTHENTICATED']);
    expect(byStatus(404)).toEqual(['NOT_FOUND']);
    expect(byStatus(429)).toEqual(['RATE_LIMITED']);
    expect(byStatus(503)).toEqual(['NOT_CAUGHT_UP', 'SERVICE_UNAVAILABLE', 'CLOCK_BEHIND']);
    expect(httpStatusOf('WRONG_AGENCY')).toBe(403);
  });
});
