import { addMonths, emergingWindows, isoWeekKey, monthStartOf, weekStartOf } from './periods';

describe('incident periods', () => {
  it('puts an instant in the ISO week of its local date', () => {
    // Sunday 23:30 UTC in summer is Monday 00:30 in London: the next week there.
    expect(weekStartOf('2025-06-15T23:30:00Z', 'UTC')).toBe('2025-06-09');
    expect(weekStartOf('2025-06-15T23:30:00Z', 'Europe/London')).toBe('2025-06-16');
    expect(weekStartOf('2025-06-16T00:00:00Z', 'America/New_York')).toBe('2025-06-09');
  });

  it('names ISO weeks by the year of their Thursday', () => {
    expect(isoWeekKey(weekStartOf('2026-03-04T12:00:00Z', 'UTC'))).toBe('2026-W10');
    // 2024-12-30 is the Monday of 2025-W01; 2021-01-03 (a Sunday) is still in 2020-W53.
    expect(isoWeekKey(weekStartOf('2024-12-31T12:00:00Z', 'UTC'))).toBe('2025-W01');
    expect(isoWeekKey(weekStartOf('2021-01-03T12:00:00Z', 'UTC'))).toBe('2020-W53');
    expect(isoWeekKey('2026-12-28')).toBe('2026-W53');
  });

  it('puts an instant in the calendar month of its local date', () => {
    expect(monthStartOf('2025-03-31T23:30:00Z', 'Europe/London')).toBe('2025-04-01');
    expect(monthStartOf('2025-03-31T23:30:00Z', 'UTC')).toBe('2025-03-01');
    expect(addMonths('2025-01-01', -13)).toBe('2023-12-01');
  });

  it('takes the last complete weeks as recent and the weeks before as the baseline', () => {
    // Wednesday 2026-03-04: the current week started Monday 2026-03-02.
    expect(emergingWindows('2026-03-04T09:00:00Z', 'Europe/London', 'week', 4, 52)).toEqual({
      granularity: 'week',
      recent: { from: '2026-02-02', to: '2026-03-02', days: 28 },
      baseline: { from: '2025-02-03', to: '2026-02-02', days: 364 },
    });
  });

  it('takes the last complete month against the 12 before it', () => {
    expect(emergingWindows('2026-03-04T09:00:00Z', 'Europe/London', 'month', 4, 52)).toEqual({
      granularity: 'month',
      recent: { from: '2026-02-01', to: '2026-03-01', days: 28 },
      baseline: { from: '2025-02-01', to: '2026-02-01', days: 365 },
    });
  });
});
