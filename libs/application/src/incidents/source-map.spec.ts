import { PROBLEM_CATEGORIES } from '@tasking/domain';
import { mapCategory, POLICE_UK_CATEGORY_MAP } from './source-map';

describe('POLICE_UK_CATEGORY_MAP', () => {
  it("maps every data.police.uk crime type as evidence.md lists them, each to a problem category", () => {
    expect(POLICE_UK_CATEGORY_MAP).toEqual({
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
    });
    for (const category of Object.values(POLICE_UK_CATEGORY_MAP)) expect(PROBLEM_CATEGORIES).toContain(category);
  });
});

describe('mapCategory', () => {
  it('maps through the map without regard to case or surrounding spaces', () => {
    expect(mapCategory('anti-social BEHAVIOUR', POLICE_UK_CATEGORY_MAP)).toEqual({ category: 'asb-general', unmapped: false });
    expect(mapCategory(' Other theft ', POLICE_UK_CATEGORY_MAP)).toEqual({ category: 'theft', unmapped: false });
    expect(mapCategory('Fly tipping', { 'FLY TIPPING': 'fly-tipping' })).toEqual({ category: 'fly-tipping', unmapped: false });
  });

  it('maps a value that is already a problem category to itself, unless the map says otherwise', () => {
    expect(mapCategory('Graffiti', {})).toEqual({ category: 'graffiti', unmapped: false });
    expect(mapCategory('graffiti', { graffiti: 'criminal-damage' })).toEqual({ category: 'criminal-damage', unmapped: false });
  });

  it('sends anything else to other and says it was unmapped', () => {
    expect(mapCategory('Littering', POLICE_UK_CATEGORY_MAP)).toEqual({ category: 'other', unmapped: true });
    expect(mapCategory('', {})).toEqual({ category: 'other', unmapped: true });
  });
});
