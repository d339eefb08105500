/**
 * The searchable text of a problem, exactly as `problems_search_idx` indexes it (migration
 * 1764000006100): title (weighted), description and area code, English stemming, erased text left out.
 */
export const PROBLEM_SEARCH_DOCUMENT = (alias: string): string =>
  `(setweight(to_tsvector('english'::regconfig, coalesce(nullif(${alias}.title, '[erased]'), '')), 'A')
    || to_tsvector('english'::regconfig, coalesce(nullif(${alias}.description, '[erased]'), ''))
    || to_tsvector('english'::regconfig, replace(${alias}.area_code, '-', ' ')))`;

/**
 * A condition matching problems whose title, description or area (its code, or the registered
 * area's name) contain the words of the query parameter `param` (web-search syntax: words,
 * "quoted phrases", -excluded, or). A query of stop words only matches nothing.
 */
export function problemSearchMatch(alias: string, param: string): string {
  const query = `websearch_to_tsquery('english'::regconfig, :${param})`;
  return `(${PROBLEM_SEARCH_DOCUMENT(alias)} @@ ${query}
    OR ${alias}.area_code IN (SELECT a.code FROM areas a WHERE a.partnership = ${alias}.partnership AND to_tsvector('english'::regconfig, a.name) @@ ${query}))`;
}

