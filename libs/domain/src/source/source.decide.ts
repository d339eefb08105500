import type { Actor } from '../actor';
import { PROBLEM_CATEGORIES } from '../categories';
import { accept, reject, type Decision } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks, compact, sameValue } from '../validation';
import { SOURCE_KINDS, type CategoryMap, type SourceEvent, type SourceKind, type SourceUpdated } from './source.events';
import { OPEN311_SOURCE, type SourceState } from './source.state';

/** The most entries a source's category map may hold. */
export const MAX_CATEGORY_MAP_ENTRIES = 500;

/**
 * `PUT /v1/sources/:code`: registers a source of incidents in a partnership, or updates the fields
 * that changed. `triage` defaults to true for a `community` source and false otherwise (bulk records
 * are evidence, not work items); a PUT that omits `triage` or `categoryMap` leaves a registered
 * source's as they are.
 */
export type PutSource = {
  type: 'PutSource';
  actor: Actor;
  now: IsoDateTime;
  code: string;
  partnership: string;
  name: string;
  kind: SourceKind;
  triage?: boolean;
  categoryMap?: CategoryMap;
};

export type SourceCommand = PutSource;

export function decideSource(command: SourceCommand, state: SourceState): Decision<SourceEvent> {
  switch (command.type) {
    case 'PutSource':
      return putSource(command, state);
    default:
      return unknownCommand(command as never);
  }
}

const checkCategoryMap = (categoryMap: unknown): { field: string; message: string }[] => {
  if (categoryMap === undefined) return [];
  if (typeof categoryMap !== 'object' || categoryMap === null || Array.isArray(categoryMap)) {
    return [{ field: 'categoryMap', message: 'categoryMap must be an object of source category → problem category' }];
  }
  const entries = Object.entries(categoryMap);
  if (entries.length > MAX_CATEGORY_MAP_ENTRIES) {
    return [{ field: 'categoryMap', message: `categoryMap must hold at most ${MAX_CATEGORY_MAP_ENTRIES} entries` }];
  }
  const errors: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const [from, to] of entries) {
    const key = from.trim().toLowerCase();
    if (key === '' || from.length > 200) errors.push({ field: 'categoryMap', message: 'categoryMap keys must be 1 to 200 characters' });
    else if (seen.has(key)) errors.push({ field: `categoryMap.${from}`, message: `categoryMap lists "${from}" twice (keys compare without regard to case)` });
    seen.add(key);
    if (!(PROBLEM_CATEGORIES as readonly unknown[]).includes(to)) {
      errors.push({ field: `categoryMap.${from}`, message: `categoryMap.${from} must be a problem category` });
    }
  }
  return errors;
};

function putSource(command: PutSource, state: SourceState): Decision<SourceEvent> {
  const { actor } = command;
  const access =
    (state.status === 'registered' ? requireVisible(actor, state, 'source') : undefined) ??
    requirePartnership(actor, command.partnership) ??
    requireRole(command, 'register sources');
  if (access) return access;

  const v = checks()
    .code('code', command.code)
    .text('name', command.name)
    .text('partnership', command.partnership)
    .oneOf('kind', command.kind, SOURCE_KINDS)
    .boolean('triage', command.triage, { optional: true });
  if (command.code === OPEN311_SOURCE.code) v.fail('code', `${OPEN311_SOURCE.code} is the built-in source of Open311 reports; it cannot be registered`);
  for (const error of checkCategoryMap(command.categoryMap)) v.fail(error.field, error.message);
  const invalid = v.refusal();
  if (invalid) return invalid;

  const categoryMap = command.categoryMap === undefined ? undefined : { ...command.categoryMap };

  if (state.status === 'none') {
    return accept({
      type: 'SourceRegistered',
      data: {
        code: command.code,
        partnership: command.partnership,
        name: command.name,
        kind: command.kind,
        triage: command.triage ?? command.kind === 'community',
        categoryMap: categoryMap ?? {},
      },
    });
  }
  if (state.code !== command.code || state.partnership !== command.partnership) {
    return reject('VALIDATION_FAILED', `source ${state.code} of ${state.partnership} cannot be stored as ${command.code} of ${command.partnership}`);
  }
  const changed: SourceUpdated['data'] = compact({
    name: command.name !== state.name ? command.name : undefined,
    kind: command.kind !== state.kind ? command.kind : undefined,
    triage: command.triage !== undefined && command.triage !== state.triage ? command.triage : undefined,
    categoryMap: categoryMap !== undefined && !sameValue(categoryMap, state.categoryMap) ? categoryMap : undefined,
  });
  return Object.keys(changed).length === 0 ? accept() : accept({ type: 'SourceUpdated', data: changed });
}
