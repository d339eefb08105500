import { PROBLEM_CATEGORIES } from '../categories';
import { DeciderSpecification } from '../testing/specification';
import { NOW, OTHER_PARTNERSHIP, PARTNERSHIP, admin, manager } from '../testing/fixtures';
import type { PartnershipEvent } from './partnership.events';
import { decidePartnership } from './partnership.decide';
import { evolvePartnership, initialPartnershipState, open311ServicesOf } from './partnership.state';

const given = DeciderSpecification.for(decidePartnership, evolvePartnership, initialPartnershipState);

describe('partnership settings', () => {
  describe('ChangePartnershipSettings', () => {
    const change = { type: 'ChangePartnershipSettings', actor: admin, now: NOW, partnership: PARTNERSHIP } as const;

    it('records the jurisdictions and public descriptions given', () => {
      given([])
        .when({ ...change, open311Jurisdictions: ['enfield.gov.uk'], publicDescriptions: true })
        .then({ type: 'PartnershipSettingsChanged', data: { open311Jurisdictions: ['enfield.gov.uk'], publicDescriptions: true } });
    });

    it('records only what changed', () => {
      const earlier: PartnershipEvent = { type: 'PartnershipSettingsChanged', data: { open311Jurisdictions: ['enfield.gov.uk'], publicDescriptions: true } };
      given([earlier])
        .when({ ...change, open311Jurisdictions: ['enfield.gov.uk'], publicDescriptions: false })
        .then({ type: 'PartnershipSettingsChanged', data: { publicDescriptions: false } });
    });

    it('decides nothing for the same settings again, or the defaults', () => {
      given([]).when({ ...change, open311Jurisdictions: [], publicDescriptions: false }).then([]);
    });

    it.each([[['has space']], [['a', 'a']], [Array.from({ length: 21 }, (_, i) => `j${i}`)]])('refuses the jurisdictions %p', (open311Jurisdictions) => {
      given([]).when({ ...change, open311Jurisdictions }).thenFails('VALIDATION_FAILED');
    });

    it('answers not found for a partnership the admin does not hold', () => {
      given([]).when({ ...change, partnership: OTHER_PARTNERSHIP, publicDescriptions: true }).thenFails('NOT_FOUND');
    });

    it('refuses a manager', () => {
      given([]).when({ ...change, actor: manager, publicDescriptions: true }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('ChangeOpen311Service', () => {
    const change = { type: 'ChangeOpen311Service', actor: admin, now: NOW, partnership: PARTNERSHIP, category: 'noise', reportable: false } as const;

    it('every category is reportable by default except hate crime and exploitation', () => {
      const services = open311ServicesOf(initialPartnershipState);
      expect(services.map((s) => s.category)).toEqual([...PROBLEM_CATEGORIES]);
      expect(services.filter((s) => !s.reportable).map((s) => s.category)).toEqual(['hate-crime', 'exploitation']);
      expect(services.find((s) => s.category === 'fly-tipping')).toEqual({ category: 'fly-tipping', reportable: true, name: 'Fly tipping', description: 'Fly tipping' });
    });

    it('takes a category off the services', () => {
      given([]).when(change).then({ type: 'Open311ServiceChanged', data: { category: 'noise', reportable: false } });
    });

    it('names a service and opens a category closed by default', () => {
      given([])
        .when({ ...change, category: 'hate-crime', reportable: true, name: 'Hate incident', description: 'Report a hate incident' })
        .then({ type: 'Open311ServiceChanged', data: { category: 'hate-crime', reportable: true, name: 'Hate incident', description: 'Report a hate incident' } });
    });

    it('the service then lists with its name', () => {
      const named: PartnershipEvent = { type: 'Open311ServiceChanged', data: { category: 'noise', reportable: true, name: 'Noisy neighbours' } };
      const state = evolvePartnership(initialPartnershipState, named);
      expect(open311ServicesOf(state).find((s) => s.category === 'noise')).toEqual({ category: 'noise', reportable: true, name: 'Noisy neighbours', description: 'Noisy neighbours' });
    });

    it('decides nothing for the same service again', () => {
      given([{ type: 'Open311ServiceChanged', data: { category: 'noise', reportable: false } }]).when(change).then([]);
    });

    it('refuses an unknown category', () => {
      given([]).when({ ...change, category: 'parking-fines' as never }).thenFails('VALIDATION_FAILED');
    });

    it('answers not found for a partnership the admin does not hold', () => {
      given([]).when({ ...change, partnership: OTHER_PARTNERSHIP }).thenFails('NOT_FOUND');
    });

    it('refuses a manager', () => {
      given([]).when({ ...change, actor: manager }).thenFails('FORBIDDEN_ROLE');
    });
  });
});
