/**
 * The statistics of emerging hotspots (evidence.md, "Emerging hotspots"): the conditional binomial
 * test of a recent count against a baseline, and the Benjamini–Hochberg adjustment across the
 * pairs tested. Pure functions of their arguments.
 */

/** Pairs with fewer recent incidents than this are not tested. */
export const MIN_RECENT_TESTED = 5;
/** The false discovery rate at which a pair is reported. */
export const FALSE_DISCOVERY_RATE = 0.05;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(X ≥ k) for X ~ Bin(n, p): the one-sided upper tail, summed in log space from the largest term
 * down, so tails far below the smallest double's reach are 0 and nothing overflows.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0) throw new RangeError(`not counts: k=${k}, n=${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`not a probability: ${p}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logTerm = (i: number) => logChoose(n, i) + i * logP + (n - i) * logQ;
  // The terms rise to the mode and fall after it: the largest term of the tail is at max(k, mode).
  const mode = Math.floor((n + 1) * p);
  const peak = Math.max(k, Math.min(mode, n));
  const top = logTerm(peak);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const relative = logTerm(i) - top;
    if (i > peak && relative < -745) break;
    sum += Math.exp(relative);
  }
  return Math.min(1, Math.exp(top + Math.log(sum)));
}

/**
 * The conditional test of evidence.md: with `recent` incidents in a window of length `r` and
 * `baseline` in one of length `b`, recent | (recent + baseline) ~ Bin(n, r / (r + b)) under a
 * constant rate; the p-value is P(X ≥ recent).
 */
export function conditionalBinomialPValue(recent: number, baseline: number, r: number, b: number): number {
  if (!(r > 0 && b > 0)) throw new RangeError(`window lengths must be positive: r=${r}, b=${b}`);
  return binomialUpperTail(recent, recent + baseline, r / (r + b));
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the order given: q(i) = min over j ≥ i of
 * p(j)·m/j on the ascending order, capped at 1 (R's `p.adjust(p, "BH")`).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((x, y) => x.p - y.p || x.index - y.index);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, index } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    q[index] = Math.min(1, running);
  }
  return q;
}

/** An (area, category) pair's counts in the two windows. */
export interface PairCounts {
  partnership: string;
  areaCode: string;
  category: string;
  recent: number;
  baseline: number;
  /** An open problem of that category is in that area. */
  covered: boolean;
}

export interface EmergingItem extends PairCounts {
  /** The recent count the baseline's rate predicts: baseline · r / b. */
  expected: number;
  /** recent / expected; null when the baseline is empty. */
  ratio: number | null;
  pValue: number;
  qValue: number;
}

/**
 * Tests the pairs with at least MIN_RECENT_TESTED recent incidents, adjusts their p-values
 * together, and keeps those at or below the false discovery rate, ranked by q-value, then by
 * ratio (an empty baseline first).
 */
export function emergingPairs(pairs: readonly PairCounts[], r: number, b: number): EmergingItem[] {
  const tested = pairs.filter((pair) => pair.recent >= MIN_RECENT_TESTED);
  const pValues = tested.map((pair) => conditionalBinomialPValue(pair.recent, pair.baseline, r, b));
  const qValues = benjaminiHochberg(pValues);
  const items = tested.map((pair, i): EmergingItem => {
    const expected = (pair.baseline * r) / b;
    return { ...pair, expected, ratio: expected === 0 ? null : pair.recent / expected, pValue: pValues[i]!, qValue: qValues[i]! };
  });
  const rank = (item: EmergingItem) => item.ratio ?? Number.POSITIVE_INFINITY;
  return items
    .filter((item) => item.qValue <= FALSE_DISCOVERY_RATE)
    .sort((x, y) => x.qValue - y.qValue || rank(y) - rank(x) || x.partnership.localeCompare(y.partnership) || x.areaCode.localeCompare(y.areaCode) || x.category.localeCompare(y.category));
}
