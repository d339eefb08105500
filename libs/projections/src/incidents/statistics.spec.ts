import { benjaminiHochberg, binomialUpperTail, conditionalBinomialPValue, logGamma } from './statistics';

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
