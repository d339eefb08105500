import {
  OUTCOMES,
  PROBLEM_CATEGORIES,
  SUCCESS_OUTCOMES,
  TACTICS,
  TACTIC_CATEGORIES,
  TACTIC_TAXONOMY,
  normaliseTactic,
} from './categories';

describe('categories', () => {
  it('has the 26 problem categories', () => {
    expect(PROBLEM_CATEGORIES).toHaveLength(26);
    expect(new Set(PROBLEM_CATEGORIES).size).toBe(26);
  });

  it('has the 7 tactic categories of the taxonomy', () => {
    expect(TACTIC_CATEGORIES).toEqual(['enforcement', 'prevention', 'environmental', 'diversion', 'engagement', 'support', 'partnership-operation']);
    expect(TACTICS).toHaveLength(Object.values(TACTIC_TAXONOMY).reduce((n, names) => n + names.length, 0));
    expect(TACTICS).toContainEqual({ category: 'engagement', name: 'ASB diaries' });
  });

  it('counts the first four outcomes as success', () => {
    expect(SUCCESS_OUTCOMES).toEqual(OUTCOMES.slice(0, 4));
  });

  describe('normaliseTactic', () => {
    it.each([
      [{ category: 'prevention', name: 'cctv' }, { category: 'prevention', name: 'CCTV' }],
      [{ category: 'prevention', name: 'CCTV' }, { category: 'prevention', name: 'CCTV' }],
      [{ category: 'engagement', name: ' asb  Diaries ' }, { category: 'engagement', name: 'ASB diaries' }],
      [{ category: 'Enforcement', name: 'Warning Letter' }, { category: 'enforcement', name: 'warning letter' }],
      [{ category: 'engagement', name: 'Face the Public' }, { category: 'engagement', name: 'public meeting' }],
      [{ category: 'partnership-operation', name: 'WEEK OF ACTION' }, { category: 'partnership-operation', name: 'week of action' }],
    ])('matches %j to the taxonomy spelling', (input, expected) => {
      expect(normaliseTactic(input)).toEqual({ ok: true, value: expected });
    });

    it('refuses a name outside the taxonomy', () => {
      const result = normaliseTactic({ category: 'prevention', name: 'drone patrol' });
      expect(result.ok ? 'accepted' : result.error.code).toBe('UNKNOWN_TACTIC');
    });

    it('refuses an unknown category', () => {
      const result = normaliseTactic({ category: 'magic', name: 'CCTV' });
      expect(result.ok ? 'accepted' : result.error.code).toBe('UNKNOWN_TACTIC');
    });

    it('refuses a name under the wrong category, saying where it belongs', () => {
      const result = normaliseTactic({ category: 'enforcement', name: 'cctv' });
      expect(result.ok ? '' : result.error.message).toContain('"prevention"');
    });

    it('is idempotent over the whole taxonomy', () => {
      for (const tactic of TACTICS) expect(normaliseTactic({ category: tactic.category, name: tactic.name.toUpperCase() })).toEqual({ ok: true, value: tactic });
    });
  });
});
