import { PROBLEM_CATEGORIES, type CategoryMap, type ProblemCategory } from '@tasking/domain';

/**
 * A source's own categories mapped to problem categories (evidence.md, "Sources"): through the
 * source's map, compared without regard to case; a value that is already a problem category maps
 * to itself; anything else goes to `other` and is reported as unmapped.
 */

/** data.police.uk's crime types (the street-level files' `Crime type`). */
export const POLICE_UK_CATEGORY_MAP: CategoryMap = {
  'Anti-social behaviour': 'asb-general',
  'Criminal damage and arson': 'criminal-damage',
  'Vehicle crime': 'vehicle-crime',
  Burglary: 'burglary',
  Drugs: 'drugs',
  'Violence and sexual offences': 'violence',
  Robbery: 'robbery',
  'Public order': 'public-order',
  Shoplifting: 'shoplifting',
  'Theft from the person': 'theft',
  'Other theft': 'theft',
  'Bicycle theft': 'bicycle-theft',
  'Possession of weapons': 'weapons',
  'Other crime': 'other',
};

export type MappedCategory = { category: ProblemCategory; unmapped: boolean };

const PROBLEM_CATEGORY_SET = new Set<string>(PROBLEM_CATEGORIES);
const lowerCased = new WeakMap<CategoryMap, Map<string, ProblemCategory>>();

function lowerCasedOf(categoryMap: CategoryMap): Map<string, ProblemCategory> {
  let map = lowerCased.get(categoryMap);
  if (!map) {
    map = new Map(Object.entries(categoryMap).map(([from, to]) => [from.trim().toLowerCase(), to]));
    lowerCased.set(categoryMap, map);
  }
  return map;
}

export function mapCategory(sourceCategory: string, categoryMap: CategoryMap): MappedCategory {
  const key = sourceCategory.trim().toLowerCase();
  const mapped = lowerCasedOf(categoryMap).get(key);
  if (mapped !== undefined) return { category: mapped, unmapped: false };
  if (PROBLEM_CATEGORY_SET.has(key)) return { category: key as ProblemCategory, unmapped: false };
  return { category: 'other', unmapped: true };
}
