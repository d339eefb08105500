import { createHash } from 'node:crypto';
import { isUuid } from '@tasking/shared';
import { contentHashOf, incidentIdOf, type IncidentContent } from './identity';

describe('incidentIdOf', () => {
  it('is a UUID v5, the same for the same partnership, source and external id', () => {
    const id = incidentIdOf('enfield', 'met-police', 'crime-1');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
    expect(incidentIdOf('enfield', 'met-police', 'crime-1')).toBe(id);
  });

  it('differs when any of the three differs', () => {
    const id = incidentIdOf('enfield', 'met-police', 'crime-1');
    expect(new Set([id, incidentIdOf('haringey', 'met-police', 'crime-1'), incidentIdOf('enfield', 'council', 'crime-1'), incidentIdOf('enfield', 'met-police', 'crime-2')]).size).toBe(4);
  });

  it('does not let one part run into the next', () => {
    expect(incidentIdOf('a', 'b-c', 'd')).not.toBe(incidentIdOf('a-b', 'c', 'd'));
    expect(incidentIdOf('a', 'b', 'c,d')).not.toBe(incidentIdOf('a', 'b,c', 'd'));
  });
});

describe('contentHashOf', () => {
  const content: IncidentContent = {
    category: 'fly-tipping',
    sourceCategory: 'Fly-tipping',
    occurredAt: '2025-03-01T09:00:00Z',
    occurredPrecision: 'exact',
    location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town' },
    description: 'Mattresses by the bins',
  };

  it('is the SHA-256 of the canonical JSON of the mapped fields, keys sorted, undefined dropped', () => {
    const json =
      '{"category":"fly-tipping","description":"Mattresses by the bins","location":{"areaCode":"enfield-town","lat":51.652,"lng":-0.081},' +
      '"occurredAt":"2025-03-01T09:00:00Z","occurredPrecision":"exact","sourceCategory":"Fly-tipping"}';
    expect(contentHashOf(content)).toBe(createHash('sha256').update(json).digest('hex'));
  });

  it('does not depend on the order of keys or on fields left undefined', () => {
    const reordered: IncidentContent = {
      description: 'Mattresses by the bins',
      location: { areaCode: 'enfield-town', lng: -0.081, lat: 51.652, address: undefined },
      occurredPrecision: 'exact',
      occurredAt: '2025-03-01T09:00:00Z',
      sourceCategory: 'Fly-tipping',
      category: 'fly-tipping',
      outcome: undefined,
    };
    expect(contentHashOf(reordered)).toBe(contentHashOf(content));
  });

  it('ignores fields outside the mapped ones', () => {
    const withMore = { ...content, reporter: { name: 'A Resident' }, location: { ...content.location, extra: 1 } } as IncidentContent;
    expect(contentHashOf(withMore)).toBe(contentHashOf(content));
  });

  it.each<[string, Partial<IncidentContent>]>([
    ['category', { category: 'graffiti' }],
    ['sourceCategory', { sourceCategory: 'Dumping' }],
    ['occurredAt', { occurredAt: '2025-03-01T09:00:01Z' }],
    ['occurredPrecision', { occurredPrecision: 'day' }],
    ['location', { location: { lat: 51.652, lng: -0.082, areaCode: 'enfield-town' } }],
    ['lsoaCode', { location: { ...content.location, lsoaCode: 'E01001234' } }],
    ['address', { location: { ...content.location, address: '1 High St' } }],
    ['outcome', { outcome: 'Under investigation' }],
    ['context', { context: 'Repeat location' }],
    ['description', { description: 'Mattresses and a sofa' }],
  ])('changes with %s', (_, change) => {
    expect(contentHashOf({ ...content, ...change })).not.toBe(contentHashOf(content));
  });
});
