import { scoreE4 } from './facts';
import { dayBin, dischargeFacts, newAction, processDeltas, type ActionModel } from './model';
import { monthsOf, planWindow, wilsonLowerBound } from './queries/plan';
import { MonthGrid, isoOfMicros, parseQueryInstant } from './time';

const ms = (iso: string) => Date.parse(iso);

describe('query times', () => {
  it('reads a bare date as local midnight in the zone, across daylight saving', () => {
    expect(new Date(parseQueryInstant('2025-01-15', 'Europe/London')!).toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(new Date(parseQueryInstant('2025-07-15', 'Europe/London')!).toISOString()).toBe('2025-07-14T23:00:00.000Z');
    expect(new Date(parseQueryInstant('2025-03-30', 'Europe/London')!).toISOString()).toBe('2025-03-30T00:00:00.000Z');
    expect(new Date(parseQueryInstant('2025-03-31', 'Europe/London')!).toISOString()).toBe('2025-03-30T23:00:00.000Z');
    expect(new Date(parseQueryInstant('2025-07-15', 'America/New_York')!).toISOString()).toBe('2025-07-15T04:00:00.000Z');
  });

  it('takes date-times with their offset and refuses anything else', () => {
    expect(parseQueryInstant('2025-03-01T10:00:00Z', 'Europe/London')).toBe(ms('2025-03-01T10:00:00Z'));
    expect(parseQueryInstant('2025-03-01T10:00:00.250+01:00', 'UTC')).toBe(ms('2025-03-01T09:00:00.250Z'));
    expect(parseQueryInstant('2025-03-01T10:00+0100', 'UTC')).toBe(ms('2025-03-01T09:00:00Z'));
    for (const bad of ['2025-02-29', '2025-13-01', '2025-03-01T10:00:00', '2025-03-01T25:00:00Z', 'yesterday', '', '2025-3-1', '0001-01-01', '9999-12-31']) {
      expect(parseQueryInstant(bad, 'Europe/London')).toBeUndefined();
    }
  });

  it('knows calendar months of a zone as instants', () => {
    const london = MonthGrid.of('Europe/London');
    expect(new Date(london.floor(ms('2025-03-31T23:30:00Z'))).toISOString()).toBe('2025-03-31T23:00:00.000Z');
    expect(MonthGrid.label(london.indexOf(ms('2025-03-31T23:30:00Z')))).toBe('2025-04');
    expect(MonthGrid.label(london.indexOf(ms('2025-03-31T22:59:59.999Z')))).toBe('2025-03');
    expect(new Date(london.ceil(ms('2025-03-31T23:00:00Z'))).toISOString()).toBe('2025-03-31T23:00:00.000Z');
    expect(new Date(london.ceil(ms('2025-03-31T23:00:00.001Z'))).toISOString()).toBe('2025-04-30T23:00:00.000Z');
    expect(MonthGrid.label(london.indexOf(ms('1975-06-01T12:00:00Z')))).toBe('1975-06');
    expect(MonthGrid.label(MonthGrid.of('UTC').indexOf(ms('0050-06-01T12:00:00Z')))).toBe('0050-06');
    expect(monthsOf('UTC', ms('2025-01-15T00:00:00Z'), ms('2025-03-02T00:00:00Z')).map((m) => [m.label, new Date(m.fromMs).toISOString(), new Date(m.toMs).toISOString()])).toEqual([
      ['2025-01', '2025-01-15T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
      ['2025-02', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
      ['2025-03', '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'],
    ]);
  });

  it('writes microsecond instants', () => {
    expect(isoOfMicros(ms('2025-03-01T10:00:00Z') * 1000 - 1)).toBe('2025-03-01T09:59:59.999999Z');
    expect(isoOfMicros(ms('2025-03-01T10:00:00.123Z') * 1000)).toBe('2025-03-01T10:00:00.123000Z');
  });
});

describe('window plans', () => {
  const plan = (from: string | null, to: string) =>
    planWindow('w', from === null ? null : ms(from), ms(to)).map((s) => [s.kind, s.lo, s.hi, s.sign]);

  it('reads whole months from buckets and the partial ones from detail rows', () => {
    expect(plan('2025-01-15T00:00:00Z', '2025-04-10T00:00:00Z')).toEqual([
      ['months', '2025-02-01T00:00:00.000Z', '2025-03-31T23:00:00.000Z', 1],
      ['detail', '2025-01-15T00:00:00.000Z', '2025-02-01T00:00:00.000Z', 1],
      ['detail', '2025-03-31T23:00:00.000Z', '2025-04-10T00:00:00.000Z', 1],
    ]);
    expect(plan('2025-02-01T00:00:00Z', '2025-03-31T23:00:00Z')).toEqual([['months', '2025-02-01T00:00:00.000Z', '2025-03-31T23:00:00.000Z', 1]]);
    expect(plan('2025-02-03T00:00:00Z', '2025-02-20T00:00:00Z')).toEqual([['detail', '2025-02-03T00:00:00.000Z', '2025-02-20T00:00:00.000Z', 1]]);
    expect(plan('2025-02-03T00:00:00Z', '2025-02-03T00:00:00Z')).toEqual([]);
  });

  it('reads an open start as all time minus what lies at or after the end', () => {
    expect(plan(null, '2025-03-10T00:00:00Z')).toEqual([
      ['total', '-infinity', 'infinity', 1],
      ['months', '2025-03-31T23:00:00.000Z', 'infinity', -1],
      ['detail', '2025-03-10T00:00:00.000Z', '2025-03-31T23:00:00.000Z', -1],
    ]);
  });
});

describe('medians and bounds', () => {
  it('keeps bins in the order of their values', () => {
    const samples = [-1, 0, 0.99, 1, 59.9, 60, 66.9, 67, 367.9, 368, 397.9, 398, 5000, 1e9];
    const bins = samples.map(dayBin);
    expect(bins).toEqual([...bins].sort((a, b) => a - b));
    expect(new Set(bins).size).toBeGreaterThan(8);
  });

  it('ranks 40 successes of 50 above 1 of 1 by the Wilson lower bound', () => {
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(40, 50)).toBeCloseTo(0.6696, 4);
    expect(wilsonLowerBound(0, 10)).toBeCloseTo(0, 10);
    expect(wilsonLowerBound(0, 0)).toBeNull();
  });

  it('scores priority x (1 + harm/100) exactly, unset and low weighing 1', () => {
    expect(scoreE4('high', 50)).toBe(45_000);
    expect(scoreE4('medium', null)).toBe(20_000);
    expect(scoreE4(null, 12.34)).toBe(11_234);
    expect(scoreE4('low', 0)).toBe(10_000);
  });
});

describe('an action as at a time', () => {
  const action = (): ActionModel =>
    newAction(
      'a',
      { actionId: 'a', problemId: 'p', partnership: 'east', agency: 'COUNCIL', tactic: { category: 'prevention', name: 'CCTV' }, dueBy: '2025-03-15T00:00:00Z', assignedAt: '2025-03-01T00:00:00Z' },
      0,
    );
  /** In process / overdue per agency at T, summing the steps strictly before T. */
  const at = (a: ActionModel, iso: string) => {
    const t = ms(iso) * 1000;
    const out: Record<string, [number, number]> = {};
    for (const s of processDeltas(a)) {
      if (s.atUs >= t) continue;
      const [i, o] = out[s.agency] ?? [0, 0];
      out[s.agency] = [i + s.inProcess, o + s.overdue];
    }
    return Object.fromEntries(Object.entries(out).filter(([, [i, o]]) => i !== 0 || o !== 0));
  };

  it('is in process from just after assignment, overdue from its due date, until discharged', () => {
    const a = action();
    expect(at(a, '2025-03-01T00:00:00Z')).toEqual({});
    expect(at(a, '2025-03-01T00:00:00.001Z')).toEqual({ COUNCIL: [1, 0] });
    expect(at(a, '2025-03-14T23:59:59.999Z')).toEqual({ COUNCIL: [1, 0] });
    expect(at(a, '2025-03-15T00:00:00Z')).toEqual({ COUNCIL: [1, 1] });
    Object.assign(a, { status: 'discharged', closedMs: ms('2025-03-20T00:00:00Z'), dischargedMs: ms('2025-03-20T00:00:00Z'), result: 'completed' });
    expect(at(a, '2025-03-20T00:00:00Z')).toEqual({ COUNCIL: [1, 1] });
    expect(at(a, '2025-03-20T00:00:00.001Z')).toEqual({});
    expect(dischargeFacts(a)).toMatchObject({ onTime: false, days: 19 });
  });

  it('moves to the new agency at a reassignment and follows a changed due date', () => {
    const a = action();
    a.agencies.push([ms('2025-03-05T00:00:00Z'), 'FIRE']);
    a.agency = 'FIRE';
    a.dues.push([ms('2025-03-16T00:00:00Z'), ms('2025-03-30T00:00:00Z')]);
    a.dueMs = ms('2025-03-30T00:00:00Z');
    expect(at(a, '2025-03-05T00:00:00Z')).toEqual({ COUNCIL: [1, 0] });
    expect(at(a, '2025-03-05T00:00:00.001Z')).toEqual({ FIRE: [1, 0] });
    expect(at(a, '2025-03-15T12:00:00Z')).toEqual({ FIRE: [1, 1] });
    expect(at(a, '2025-03-16T00:00:00.001Z')).toEqual({ FIRE: [1, 0] });
    Object.assign(a, { status: 'discharged', closedMs: ms('2025-03-20T00:00:00Z'), dischargedMs: ms('2025-03-20T00:00:00Z'), result: 'completed' });
    // On time against the due date in force when discharged (30 March), not the first one.
    expect(dischargeFacts(a)).toMatchObject({ agency: 'FIRE', onTime: true, dueAtDischargeMs: ms('2025-03-30T00:00:00Z') });
  });

  it('is never in process when closed before it was assigned', () => {
    const a = action();
    Object.assign(a, { status: 'cancelled', closedMs: ms('2025-02-01T00:00:00Z') });
    expect(processDeltas(a)).toEqual([]);
  });
});
