import { benjaminiHochberg, binomialUpperTail, conditionalBinomialPValue, emergingPairs, logGamma } from './statistics';

/** P(X ≥ k), X ~ Bin(n, p), summed term by term in exact integers (small n only). */
function exactTail(k: number, n: number, numerator: number, denominator: number): number {
  let sum = 0n;
  let choose = 1n;
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) sum += choose * BigInt(numerator) ** BigInt(i) * BigInt(denominator - numerator) ** BigInt(n - i);
  }
  return Number(sum) / Number(BigInt(denominator) ** BigInt(n));
}

describe('binomial upper tail', () => {
  it('matches exact sums for small n', () => {
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    for (const [k, n, num, den] of [
      [3, 7, 1, 3],
      [5, 12, 1, 4],
      [0, 6, 2, 5],
      [9, 9, 3, 7],
      [1, 15, 1, 14],
      [11, 25, 4, 56],
    ] as const) {
      expect(binomialUpperTail(k, n, num / den)).toBeCloseTo(exactTail(k, n, num, den), 12);
    }
  });

  it('matches a table value: n = 20, p = 1/2, P(X ≥ 15) = 21700/2^20', () => {
    expect(binomialUpperTail(15, 20, 0.5)).toBeCloseTo(0.020694732666015625, 14);
  });

  it('stays accurate far into the tail and for large n (values summed in exact rationals)', () => {
    expect(binomialUpperTail(130, 1000, 0.1) / 0.001341398370873429).toBeCloseTo(1, 9);
    expect(binomialUpperTail(20, 60, 4 / 56) / 3.022817578843635e-9).toBeCloseTo(1, 9);
    expect(binomialUpperTail(400, 5000, 4 / 56) / 0.01091864568490103).toBeCloseTo(1, 9);
    expect(binomialUpperTail(100_000, 100_000, 0.5)).toBe(0);
  });

  it('has the edges a probability must have', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(() => binomialUpperTail(1, 10, 1.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1.5, 10, 0.5)).toThrow(RangeError);
  });

  it('logGamma gives log factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 11);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
  });
});

describe('conditional binomial test', () => {
  it('tests recent | n against Bin(n, r / (r + b))', () => {
    // 11 in the last 4 weeks against 14 in the 52 before: Bin(25, 4/56).
    expect(conditionalBinomialPValue(11, 14, 4, 52)).toBeCloseTo(exactTail(11, 25, 4, 56), 14);
    // A rate that did not change is not a rise.
    expect(conditionalBinomialPValue(4, 52, 4, 52)).toBeGreaterThan(0.4);
    expect(() => conditionalBinomialPValue(4, 52, 0, 52)).toThrow(RangeError);
  });
});

describe('Benjamini–Hochberg', () => {
  it("matches R's p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), 'BH')", () => {
    benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((q) => expect(q).toBeCloseTo(0.05, 15));
  });

  it('keeps the input order, is monotone in p and caps at 1', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    [0.02, 0.04, 0.04, 0.02].forEach((expected, i) => expect(q[i]).toBeCloseTo(expected, 15));
    benjaminiHochberg([0.9, 0.8, 0.95]).forEach((q) => expect(q).toBeCloseTo(0.95, 15));
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it("gives the 1995 paper's example: 4 of 15 discoveries at 0.05", () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];
    const q = benjaminiHochberg(p);
    // scipy.stats.false_discovery_control(p) for the same values.
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857, 0.063857, 0.0645, 0.0765, 0.486, 0.581182, 0.714875, 0.753231, 0.813214, 1];
    q.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    expect(q.filter((value) => value <= 0.05)).toHaveLength(4);
  });
});

describe('emerging pairs', () => {
  const pair = (areaCode: string, category: string, recent: number, baseline: number) => ({ partnership: 'default', areaCode, category, recent, baseline, covered: false });

  it('tests only pairs with 5 or more recent, adjusts across them and keeps q ≤ 0.05, ranked by q then ratio', () => {
    const pairs = [
      pair('edmonton', 'drugs', 11, 14),
      pair('edmonton', 'burglary', 4, 0),
      pair('enfield-town', 'drugs', 5, 65),
      pair('enfield-town', 'theft', 9, 3),
      pair('enfield-town', 'weapons', 6, 0),
    ];
    const items = emergingPairs(pairs, 4, 52);
    const p = [exactTail(11, 25, 4, 56), exactTail(5, 70, 4, 56), exactTail(9, 12, 4, 56), exactTail(6, 6, 4, 56)];
    const q = benjaminiHochberg(p);
    expect(q[1]).toBeGreaterThan(0.05);
    expect(q[2]).toBeLessThan(q[3]!);
    expect(items.map((item) => `${item.areaCode}/${item.category}`)).toEqual(['enfield-town/theft', 'enfield-town/weapons', 'edmonton/drugs']);
    expect(items[1]).toMatchObject({ recent: 6, baseline: 0, expected: 0, ratio: null });
    expect(items[1]!.qValue).toBeCloseTo(q[3]!, 15);
    expect(items[0]!.ratio).toBeCloseTo(9 / ((3 * 4) / 52), 12);
    expect(items[2]).toMatchObject({ expected: (14 * 4) / 52 });
    expect(items[2]!.pValue).toBeCloseTo(p[0]!, 15);
  });

  it('ranks equal q-values by ratio, an empty baseline first', () => {
    const p = [exactTail(7, 8, 4, 56), exactTail(6, 6, 4, 56)];
    expect(p[0]).toBeLessThan(p[1]!);
    const items = emergingPairs([pair('edmonton', 'drugs', 7, 1), pair('edmonton', 'weapons', 6, 0)], 4, 52);
    expect(items[0]!.qValue).toBe(items[1]!.qValue);
    expect(items.map((item) => item.category)).toEqual(['weapons', 'drugs']);
  });

  it('finds nothing when the recent rate is the baseline rate', () => {
    expect(emergingPairs([pair('edmonton', 'drugs', 8, 104)], 4, 52)).toEqual([]);
  });
});
