import { In, type DataSource } from 'typeorm';
import { AreaEntity } from '../../reference/reference.entities';
import { AgencyEntity } from '../../reference/reference.entities';
import { ProblemEntity } from '../../problems/problems.entities';

/** The columns `?names=true` adds to a CSV export, after the codes (which stay as they were). */
export const NAME_COLUMNS = ['agencyName', 'areaName', 'problemTitle'] as const;

export interface NamedRow {
  partnership: string;
  agency: string;
  areaCode: string | null;
  problemId: string;
}

/** Agency names by code (reference data every reader sees). */
export async function agencyNamesOf(dataSource: DataSource, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const agencies = await dataSource.getRepository(AgencyEntity).find({ select: { code: true, name: true }, where: { code: In([...new Set(codes)]) } });
  return new Map(agencies.map((a) => [a.code, a.name]));
}

/**
 * Names for one page of export rows, as every reader of the partnership sees them in the console:
 * agency and area names from the reference data, problem titles from the problem list (after a
 * retention erasure, what the read model keeps). Rows are already scoped to the caller's partnerships.
 */
export async function nameCells(dataSource: DataSource, rows: readonly NamedRow[]): Promise<(row: NamedRow) => (string | null)[]> {
  const unique = <T>(values: T[]) => [...new Set(values)];
  const agencyCodes = unique(rows.map((r) => r.agency));
  const areaCodes = unique(rows.map((r) => r.areaCode).filter((c): c is string => c !== null));
  const problemIds = unique(rows.map((r) => r.problemId));
  const [agencyNames, areas, problems] = await Promise.all([
    agencyNamesOf(dataSource, agencyCodes),
    areaCodes.length ? dataSource.getRepository(AreaEntity).find({ select: { code: true, partnership: true, name: true }, where: { code: In(areaCodes) } }) : [],
    problemIds.length ? dataSource.getRepository(ProblemEntity).find({ select: { id: true, title: true }, where: { id: In(problemIds) } }) : [],
  ]);
  const areaNames = new Map(areas.map((a) => [`${a.partnership} ${a.code}`, a.name]));
  const titles = new Map(problems.map((p) => [p.id, p.title]));
  return (row) => [agencyNames.get(row.agency) ?? null, row.areaCode === null ? null : (areaNames.get(`${row.partnership} ${row.areaCode}`) ?? null), titles.get(row.problemId) ?? null];
}
