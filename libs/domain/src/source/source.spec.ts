import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, inspector } from '../testing/fixtures';
import type { SourceRegistered } from './source.events';
import { decideSource, MAX_CATEGORY_MAP_ENTRIES, type PutSource } from './source.decide';
import { evolveSource, initialSourceState, sourceStreamName } from './source.state';

const given = DeciderSpecification.for(decideSource, evolveSource, initialSourceState);

const put = (overrides: Partial<PutSource> = {}): PutSource => ({
  type: 'PutSource',
  actor: admin,
  now: NOW,
  code: 'police',
  partnership: PARTNERSHIP,
  name: 'Metropolitan Police street crime',
  kind: 'police',
  ...overrides,
});

const registered = (overrides: Partial<SourceRegistered['data']> = {}): SourceRegistered => ({
  type: 'SourceRegistered',
  data: { code: 'police', partnership: PARTNERSHIP, name: 'Metropolitan Police street crime', kind: 'police', triage: false, categoryMap: {}, ...overrides },
});

describe('source', () => {
  it('registers a source on the first PUT, without triage unless it is a community source', () => {
    given([]).when(put()).then(registered());
    given([])
      .when(put({ code: 'fms', kind: 'community', name: 'FixMyStreet' }))
      .then(registered({ code: 'fms', kind: 'community', name: 'FixMyStreet', triage: true }));
  });

  it('registers the triage flag and the category map as given', () => {
    given([])
      .when(put({ kind: 'council', triage: true, categoryMap: { 'Fly Tipping': 'fly-tipping', Graffiti: 'graffiti' } }))
      .then(registered({ kind: 'council', triage: true, categoryMap: { 'Fly Tipping': 'fly-tipping', Graffiti: 'graffiti' } }));
    given([]).when(put({ kind: 'community', triage: false })).then(registered({ kind: 'community', triage: false }));
  });

  it('updates only the fields that changed on a repeated PUT', () => {
    given([registered()])
      .when(put({ name: 'Met street crime', triage: true, categoryMap: { Drugs: 'drugs' } }))
      .then({ type: 'SourceUpdated', data: { name: 'Met street crime', triage: true, categoryMap: { Drugs: 'drugs' } } });
    given([registered()]).when(put({ kind: 'other' })).then({ type: 'SourceUpdated', data: { kind: 'other' } });
  });

  it('decides nothing when nothing changed, and leaves triage and the map when a PUT omits them', () => {
    given([registered({ triage: true, categoryMap: { Drugs: 'drugs' } })]).when(put()).thenNothing();
    given([registered({ categoryMap: { Drugs: 'drugs' } })]).when(put({ categoryMap: { Drugs: 'drugs' } })).thenNothing();
  });

  it('does not change triage when the kind changes (the default applies at registration only)', () => {
    given([registered()]).when(put({ kind: 'community' })).then({ type: 'SourceUpdated', data: { kind: 'community' } });
  });

  it('refuses a category map whose values are not problem categories, or that lists a key twice', () => {
    const error = given([])
      .when(put({ categoryMap: { Drugs: 'drugs', Burglary: 'housebreaking' as never, drugs: 'other' } }))
      .thenFails('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['categoryMap.Burglary', 'categoryMap.drugs']);
  });

  it(`refuses a category map of more than ${MAX_CATEGORY_MAP_ENTRIES} entries, and one that is not an object`, () => {
    const big = Object.fromEntries(Array.from({ length: MAX_CATEGORY_MAP_ENTRIES + 1 }, (_, i) => [`type ${i}`, 'other' as const]));
    given([]).when(put({ categoryMap: big })).thenFails('VALIDATION_FAILED');
    given([]).when(put({ categoryMap: ['drugs'] as never })).thenFails('VALIDATION_FAILED');
  });

  it('refuses an unknown kind, an empty name, a malformed code and the built-in open311 code', () => {
    const error = given([])
      .when(put({ kind: 'army' as never, name: ' ', code: 'open311' }))
      .thenFails('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.field)).toEqual(['name', 'kind', 'code']);
    given([]).when(put({ code: 'no spaces' })).thenFails('VALIDATION_FAILED');
  });

  it('answers not found for a partnership the admin does not hold, and for its sources', () => {
    given([]).when(put({ partnership: OTHER_PARTNERSHIP })).thenFails('NOT_FOUND');
    given([registered({ partnership: OTHER_PARTNERSHIP })]).when(put()).thenFails('NOT_FOUND');
  });

  it('refuses an inspector', () => {
    given([]).when(put({ actor: inspector })).thenFails('FORBIDDEN_ROLE');
  });

  it('evolves updates over the registration, and names its stream per partnership', () => {
    const state = [registered(), { type: 'SourceUpdated', data: { triage: true, categoryMap: { Drugs: 'drugs' } } } as const].reduce(evolveSource, initialSourceState);
    expect(state).toEqual({
      status: 'registered',
      revision: 1,
      code: 'police',
      partnership: PARTNERSHIP,
      name: 'Metropolitan Police street crime',
      kind: 'police',
      triage: true,
      categoryMap: { Drugs: 'drugs' },
    });
    expect(sourceStreamName('north-east', 'police')).toBe('source-north-east.police');
  });
});
