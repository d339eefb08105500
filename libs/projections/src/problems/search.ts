/**
 * The searchable text of a problem, exactly as `problems_search_idx` indexes it (migration
 * 1764000007200): title (weighted), description and area code, English stemming, erased text left
 * out; and the case reference (weighted), unstemmed, whole and in parts, so `SAFE-2026-0142` and
 * `0142` both find it.
 */
export const PROBLEM_SEARCH_DOCUMENT = (alias: string): string =>
  `(setweight(to_tsvector('english'::regconfig, coalesce(nullif(${alias}.title, '[erased]'), '')), 'A')
    || to_tsvector('english'::regconfig, coalesce(nullif(${alias}.description, '[erased]'), ''))
    || to_tsvector('english'::regconfig, replace(${alias}.area_code, '-', ' '))
    || setweight(to_tsvector('simple'::regconfig, coalesce(${alias}.reference, '')) || to_tsvector('simple'::regconfig, replace(coalesce(${alias}.reference, ''), '-', ' ')), 'A'))`;

/**
 * A condition matching problems whose title, description, area code or reference contain the words of the
 * query parameter `param` (web-search syntax: words, "quoted phrases", -excluded, or), or whose
 * area code is in the array parameter `areaCodesParam` (the areas whose names match: see
 * `AREAS_NAMED`). A query of stop words only matches nothing. Both halves can use an index (a
 * bitmap OR of `problems_search_idx` and the area index); a subquery in the OR could not, and
 * made a selective search walk the whole list (15 s over 100 000 problems instead of 12 ms).
 */
export function problemSearchMatch(alias: string, param: string, areaCodesParam?: string): string {
  const text = `${PROBLEM_SEARCH_DOCUMENT(alias)} @@ websearch_to_tsquery('english'::regconfig, :${param})`;
  return areaCodesParam ? `(${text} OR ${alias}.area_code = ANY(:${areaCodesParam}))` : `(${text})`;
}

/** The codes of the areas of partnerships `$1` (text[]) whose names contain the words of `$2`. */
export const AREAS_NAMED = `SELECT code FROM areas WHERE partnership = ANY($1::text[]) AND to_tsvector('english'::regconfig, name) @@ websearch_to_tsquery('english'::regconfig, $2)`;
