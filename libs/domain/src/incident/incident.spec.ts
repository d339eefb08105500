import { RETENTION_ACTOR, IMPORTS_ACTOR, OPEN311_ACTOR, DEADLINES_ACTOR } from '../actor';
import { initialAreaState } from '../area/area.state';
import { evolveProblem, initialProblemState, type ProblemState } from '../problem/problem.state';
import { DeciderSpecification } from '../testing/specification';
import {
  INCIDENT_ID,
  LATER,
  areaState,
  NOW,
  OTHER_INCIDENT_ID,
  OTHER_PARTNERSHIP,
  PARTNERSHIP,
  PROBLEM_ID,
  councilOfficer,
  incidentRecorded,
  inspector,
  manager,
  outsideInspector,
  problemRaised,
  recordIncidentCommand,
} from '../testing/fixtures';
import type { IncidentEvent } from './incident.events';
import { decideIncident, type EraseIncidentPersonalData, type LinkIncident, type MarkIncidentDuplicate, type UpdateIncident } from './incident.decide';
import { evolveIncident, initialIncidentState } from './incident.state';

const given = DeciderSpecification.for(decideIncident, evolveIncident, initialIncidentState);

const recorded = incidentRecorded();
const withdrawn: IncidentEvent = { type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'imp-1' } };
const linked: IncidentEvent = { type: 'IncidentLinked', data: { problemId: PROBLEM_ID } };
const dismissed: IncidentEvent = { type: 'IncidentDismissed', data: { reasonCode: 'test' } };
const duplicated: IncidentEvent = { type: 'IncidentMarkedDuplicate', data: { of: OTHER_INCIDENT_ID } };

const openProblem: ProblemState = evolveProblem(initialProblemState, problemRaised());
const closedProblem: ProblemState = evolveProblem(openProblem, {
  type: 'ProblemClosed',
  data: { outcome: 'reduced', assessment: 'Fewer reports', closedAt: NOW },
  recordedAt: NOW,
});
const otherPartnershipProblem: ProblemState = evolveProblem(initialProblemState, problemRaised({ partnership: OTHER_PARTNERSHIP }));
const original = evolveIncident(initialIncidentState, incidentRecorded({ incidentId: OTHER_INCIDENT_ID, externalId: 'other' }));

const link: LinkIncident = { type: 'LinkIncident', actor: inspector, now: NOW, problemId: PROBLEM_ID, problem: openProblem };
const unlink = { type: 'UnlinkIncident', actor: inspector, now: NOW, reason: 'Linked in error' } as const;
const duplicate: MarkIncidentDuplicate = { type: 'MarkIncidentDuplicate', actor: inspector, now: NOW, of: OTHER_INCIDENT_ID, original };
const dismiss = { type: 'DismissIncident', actor: inspector, now: NOW, reasonCode: 'test', note: 'Training call' } as const;

describe('incident', () => {
  describe('RecordIncident', () => {
    it('records a report taken at a counter', () => {
      given([]).when(recordIncidentCommand()).then(recorded);
    });

    it.each([
      ['an inspector', inspector],
      ['an officer', councilOfficer],
      ['a manager', manager],
    ])('is open to %s', (_, actor) => {
      given([]).when(recordIncidentCommand({ actor })).then(recorded);
    });

    it('drops the fields left undefined', () => {
      const { outcome: _o, ...data } = incidentRecorded({ location: { areaCode: 'enfield-town' }, reporter: undefined, description: undefined }).data;
      given([])
        .when(recordIncidentCommand({ location: { areaCode: 'enfield-town', lat: undefined }, reporter: undefined, description: undefined, outcome: undefined }))
        .then({ type: 'IncidentRecorded', data });
    });

    it('records an imported row from the imports system, and an Open311 request from the open311 system', () => {
      const imported = incidentRecorded({ channel: 'import', importId: 'imp-1', triage: false, source: 'met-police' });
      given([]).when(recordIncidentCommand({ ...imported.data, actor: IMPORTS_ACTOR })).then(imported);
      const open311 = incidentRecorded({ channel: 'open311', source: 'open311' });
      given([]).when(recordIncidentCommand({ ...open311.data, actor: OPEN311_ACTOR })).then(open311);
    });

    it('refuses a person recording on another channel than console, and a system on a channel not its own', () => {
      given([]).when(recordIncidentCommand({ channel: 'open311' })).thenFails('FORBIDDEN_ROLE');
      given([]).when(recordIncidentCommand({ actor: OPEN311_ACTOR, channel: 'import', importId: 'imp-1' })).thenFails('FORBIDDEN_ROLE');
      given([]).when(recordIncidentCommand({ actor: DEADLINES_ACTOR })).thenFails('FORBIDDEN_ROLE');
    });

    it('answers not found for a partnership the caller does not hold', () => {
      given([]).when(recordIncidentCommand({ actor: outsideInspector })).thenFails('NOT_FOUND');
    });

    it('refuses a source not registered for the partnership', () => {
      given([]).when(recordIncidentCommand({ source: 'nobody', sourceKnown: false })).thenFails('UNKNOWN_SOURCE');
    });

    it('records in an area the caller named, registered in the partnership', () => {
      given([]).when(recordIncidentCommand({ area: areaState() })).then(recorded);
    });

    it('refuses an area the caller named that is unknown or of another partnership', () => {
      given([]).when(recordIncidentCommand({ area: initialAreaState })).thenFails('UNKNOWN_AREA');
      given([]).when(recordIncidentCommand({ area: areaState('enfield-town', OTHER_PARTNERSHIP) })).thenFails('UNKNOWN_AREA');
    });

    it('refuses an incident that exists (callers compare the content hash first)', () => {
      given([recorded]).when(recordIncidentCommand()).thenFails('ALREADY_EXISTS');
    });

    it('refuses an occurredAt more than a day ahead or more than ten years back', () => {
      const ahead = given([]).when(recordIncidentCommand({ occurredAt: '2025-03-11T11:00:00Z' })).thenFails('VALIDATION_FAILED');
      expect(ahead.errors).toEqual([{ field: 'occurredAt', message: expect.stringContaining('10 years') }]);
      given([]).when(recordIncidentCommand({ occurredAt: '2015-03-09T00:00:00Z' })).thenFails('VALIDATION_FAILED');
    });

    it('lists every invalid field', () => {
      const error = given([])
        .when(
          recordIncidentCommand({
            category: 'litter' as never,
            occurredPrecision: 'week' as never,
            location: { lat: 91 },
            contentHash: 'abc',
            importId: 'imp-1',
            attributes: [{ name: '', value: 'x' }],
          }),
        )
        .thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['category', 'occurredPrecision', 'location.lat', 'location', 'attributes[0].name', 'importId', 'contentHash']);
    });

    it('needs the import of an imported row', () => {
      given([]).when(recordIncidentCommand({ actor: IMPORTS_ACTOR, channel: 'import' })).thenFails('VALIDATION_FAILED');
    });
  });

  describe('UpdateIncident', () => {
    const update: UpdateIncident = {
      type: 'UpdateIncident',
      actor: IMPORTS_ACTOR,
      now: NOW,
      outcome: 'Investigation complete; no suspect identified',
      contentHash: 'b'.repeat(64),
      sourceUpdatedAt: NOW,
      importId: 'imp-2',
    };

    it('records the changed fields and the new hash', () => {
      const { type: _t, actor: _a, now: _n, ...data } = update;
      given([recorded]).when(update).then({ type: 'IncidentUpdated', data });
    });

    it('decides nothing when the hash is unchanged', () => {
      given([recorded]).when({ ...update, contentHash: recorded.data.contentHash }).thenNothing();
    });

    it('moves the area with the location', () => {
      const moved = evolveIncident(evolveIncident(initialIncidentState, recorded), {
        type: 'IncidentUpdated',
        data: { location: { lat: 51.66, lng: -0.07 }, contentHash: 'b'.repeat(64), sourceUpdatedAt: NOW },
      });
      expect(moved).toMatchObject({ contentHash: 'b'.repeat(64), category: 'fly-tipping' });
      expect(moved).not.toHaveProperty('areaCode');
    });

    it('answers not found for an unknown incident', () => {
      given([]).when(update).thenFails('NOT_FOUND');
    });

    it('refuses anyone but the imports system', () => {
      given([recorded]).when({ ...update, actor: RETENTION_ACTOR }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('WithdrawIncident', () => {
    const withdraw = { type: 'WithdrawIncident', actor: IMPORTS_ACTOR, now: NOW, reason: 'import-withdrawn', importId: 'imp-1' } as const;

    it('withdraws an incident', () => {
      given([recorded]).when(withdraw).then(withdrawn);
    });

    it('decides nothing when already withdrawn', () => {
      given([recorded, withdrawn]).when(withdraw).thenNothing();
    });

    it('refuses an unknown reason', () => {
      given([recorded]).when({ ...withdraw, reason: 'bored' as never }).thenFails('VALIDATION_FAILED');
    });

    it('answers not found for an unknown incident', () => {
      given([]).when(withdraw).thenFails('NOT_FOUND');
    });
  });

  describe('LinkIncident', () => {
    it('links an incident to an open problem of its partnership', () => {
      given([recorded]).when(link).then(linked);
    });

    it('links an incident that takes no triage', () => {
      given([incidentRecorded({ triage: false })]).when(link).then(linked);
    });

    it('links again after an unlink', () => {
      given([recorded, linked, { type: 'IncidentUnlinked', data: { problemId: PROBLEM_ID, reason: 'r' } }]).when(link).then(linked);
    });

    it.each([
      ['linked', linked],
      ['marked a duplicate', duplicated],
      ['dismissed', dismissed],
    ])('refuses an incident already %s', (_, triaged) => {
      given([recorded, triaged]).when(link).thenFails('INCIDENT_ALREADY_TRIAGED');
    });

    it('answers not found for an unknown problem', () => {
      given([recorded]).when({ ...link, problem: initialProblemState }).thenFails('NOT_FOUND');
    });

    it("answers not found for another partnership's problem, as for an unknown one", () => {
      given([recorded]).when({ ...link, problem: otherPartnershipProblem }).thenFails('NOT_FOUND');
    });

    it('answers not found when the state handed in is of another problem', () => {
      given([recorded]).when({ ...link, problemId: 'another' }).thenFails('NOT_FOUND');
    });

    it('refuses a closed problem', () => {
      given([recorded]).when({ ...link, problem: closedProblem }).thenFails('PROBLEM_CLOSED');
    });

    it('refuses a withdrawn incident', () => {
      given([recorded, withdrawn]).when(link).thenFails('INCIDENT_WITHDRAWN');
    });

    it('answers not found for an unknown incident, and for one of another partnership', () => {
      given([]).when(link).thenFails('NOT_FOUND');
      given([recorded]).when({ ...link, actor: outsideInspector }).thenFails('NOT_FOUND');
    });

    it('refuses an officer before any state rule', () => {
      given([recorded, linked]).when({ ...link, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('UnlinkIncident', () => {
    it('unlinks a linked incident, naming the problem', () => {
      given([recorded, linked]).when(unlink).then({ type: 'IncidentUnlinked', data: { problemId: PROBLEM_ID, reason: 'Linked in error' } });
    });

    it('refuses an incident that is not linked', () => {
      given([recorded]).when(unlink).thenFails('INCIDENT_NOT_LINKED');
      given([recorded, dismissed]).when(unlink).thenFails('INCIDENT_NOT_LINKED');
    });

    it('refuses an empty reason', () => {
      given([recorded, linked]).when({ ...unlink, reason: ' ' }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a withdrawn incident', () => {
      given([recorded, linked, withdrawn]).when(unlink).thenFails('INCIDENT_WITHDRAWN');
    });

    it('refuses a manager', () => {
      given([recorded, linked]).when({ ...unlink, actor: manager }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('MarkIncidentDuplicate', () => {
    it('marks an incident a duplicate of another of its partnership', () => {
      given([recorded]).when(duplicate).then(duplicated);
    });

    it('refuses an incident already triaged', () => {
      given([recorded, dismissed]).when(duplicate).thenFails('INCIDENT_ALREADY_TRIAGED');
    });

    it('refuses the incident itself', () => {
      given([recorded]).when({ ...duplicate, of: INCIDENT_ID, original: evolveIncident(initialIncidentState, recorded) }).thenFails('VALIDATION_FAILED');
    });

    it("answers not found for an unknown incident, or another partnership's", () => {
      given([recorded]).when({ ...duplicate, original: initialIncidentState }).thenFails('NOT_FOUND');
      const elsewhere = evolveIncident(initialIncidentState, incidentRecorded({ incidentId: OTHER_INCIDENT_ID, partnership: OTHER_PARTNERSHIP }));
      given([recorded]).when({ ...duplicate, original: elsewhere }).thenFails('NOT_FOUND');
    });

    it('refuses a withdrawn incident', () => {
      given([recorded, withdrawn]).when(duplicate).thenFails('INCIDENT_WITHDRAWN');
    });
  });

  describe('DismissIncident', () => {
    it('dismisses an incident with a reason code and a note', () => {
      given([recorded]).when(dismiss).then({ type: 'IncidentDismissed', data: { reasonCode: 'test', note: 'Training call' } });
    });

    it('dismisses without a note', () => {
      given([recorded]).when({ ...dismiss, note: undefined }).then(dismissed);
    });

    it('refuses an unknown reason code', () => {
      given([recorded]).when({ ...dismiss, reasonCode: 'boring' as never }).thenFails('VALIDATION_FAILED');
    });

    it('refuses an incident already triaged', () => {
      given([recorded, linked]).when(dismiss).thenFails('INCIDENT_ALREADY_TRIAGED');
    });

    it('refuses a withdrawn incident', () => {
      given([recorded, withdrawn]).when(dismiss).thenFails('INCIDENT_WITHDRAWN');
    });
  });

  describe('EraseIncidentPersonalData', () => {
    const RECORDED_AT = '2023-01-10T10:00:00Z';
    const stored = { ...recorded, recordedAt: RECORDED_AT };
    const erase: EraseIncidentPersonalData = { type: 'EraseIncidentPersonalData', actor: RETENTION_ACTOR, now: '2025-01-10T10:00:00Z', retentionYears: 2 };
    const erased: IncidentEvent = { type: 'IncidentPersonalDataErased', data: { erasedAt: '2025-01-10T10:00:00Z' } };
    const problemErased: ProblemState = evolveProblem(closedProblem, {
      type: 'ProblemPersonalDataErased',
      data: { reason: 'retention', closedAt: NOW, retentionYears: 6, erasedAt: LATER },
    });

    it('erases the personal data the retention period after recording', () => {
      given([stored]).when(erase).then(erased);
    });

    it('decides nothing before then', () => {
      given([stored]).when({ ...erase, now: '2025-01-10T09:59:59Z' }).thenNothing();
    });

    it('decides nothing when already erased', () => {
      given([stored, erased]).when(erase).thenNothing();
    });

    it('waits for the retention of a linked problem to end', () => {
      given([stored, linked]).when({ ...erase, linkedProblem: closedProblem }).thenNothing();
      given([stored, linked]).when(erase).thenNothing();
      given([stored, linked]).when({ ...erase, linkedProblem: problemErased }).then(erased);
    });

    it("keeps to its own period when the linked problem's ended first", () => {
      given([stored, linked]).when({ ...erase, now: '2024-01-10T10:00:00Z', linkedProblem: problemErased }).thenNothing();
    });

    it('refuses anyone but the retention system', () => {
      given([stored]).when({ ...erase, actor: IMPORTS_ACTOR }).thenFails('FORBIDDEN_ROLE');
    });
  });

  it('evolves: partnership, area, triage and disposition', () => {
    const state = [recorded, linked].reduce(evolveIncident, initialIncidentState);
    expect(state).toEqual({
      status: 'recorded',
      revision: 1,
      incidentId: INCIDENT_ID,
      partnership: PARTNERSHIP,
      source: 'console',
      externalId: recorded.data.externalId,
      channel: 'console',
      category: 'fly-tipping',
      areaCode: 'enfield-town',
      triage: true,
      contentHash: 'a'.repeat(64),
      disposition: { kind: 'linked', problemId: PROBLEM_ID },
      personalDataErased: false,
    });
  });
});
