import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@tasking/domain';
import type { AppendResult, EventStore } from '@tasking/event-store';
import { appendAtomically, appendEvents } from './events';
import { actionAssigned, agencyRegistered, meetingScheduled, problemRaised, PARTNERSHIP } from './fixtures';

/** A small deterministic PRNG (mulberry32), so a scenario is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const AGENCIES = ['POLICE', 'COUNCIL-ASB', 'FIRE', 'HOUSING'] as const;
export const AREAS = ['enfield-town', 'edmonton-green', 'ponders-end'] as const;

export interface ScenarioOptions {
  problems: number;
  seed?: number;
  partnerships?: readonly string[];
}

/**
 * Writes a varied history through the store: reference data, meetings, problems with every kind
 * of action life (claimed, declined and reassigned, released, re-dated after escalation,
 * discharged, cancelled), interventions, reviews, closures and reopenings. Returns the last result.
 */
export async function writeScenario(store: EventStore, options: ScenarioOptions): Promise<AppendResult> {
  const random = prng(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const partnerships = options.partnerships ?? [PARTNERSHIP];
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();
  let last: AppendResult | undefined;

  for (const code of AGENCIES) {
    last = await appendEvents(store, `agency-${code}`, [agencyRegistered(code, { kind: code === 'POLICE' ? 'police' : 'local-authority' })]);
  }
  await appendEvents(store, 'agency-HOUSING', [{ type: 'AgencyWebhookSet', data: { url: 'https://housing.example/hooks' } }]);
  for (const [index, code] of AREAS.entries()) {
    await appendEvents(store, `area-${code}`, [
      { type: 'AreaRegistered', data: { code, name: code.replace('-', ' '), partnership: partnerships[index % partnerships.length]!, centroid: { lat: 51.6 + index / 100, lng: -0.08 } } },
    ]);
  }
  await appendEvents(store, 'area-enfield-town', [{ type: 'AreaUpdated', data: { name: 'Enfield Town centre' } }]);
  for (const partnership of partnerships) {
    await appendEvents(store, `group-${partnership}-safe`, [
      { type: 'TaskingGroupRegistered', data: { code: `${partnership}-safe`, partnership, name: `${partnership} SAFE`, areaCodes: [...AREAS] } },
    ]);
  }
  const meetings = partnerships.map((partnership, index) => ({ id: randomUUID(), partnership, index }));
  for (const meeting of meetings) {
    await appendEvents(store, `meeting-${meeting.id}`, [
      meetingScheduled(meeting.id, { partnership: meeting.partnership, groupCode: `${meeting.partnership}-safe`, heldOn: day(3 + meeting.index) }),
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'Insp Jane Hart', agency: 'POLICE' }, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }] } },
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'Sam Patel', agency: 'COUNCIL-ASB' }, { name: 'Lee Burns', agency: 'FIRE' }] } },
    ]);
  }

  for (let p = 0; p < options.problems; p += 1) {
    const problemId = randomUUID();
    const meeting = pick(meetings);
    const problemStream = `problem-${problemId}`;
    last = await appendEvents(store, problemStream, [
      problemRaised(problemId, {
        partnership: meeting.partnership,
        category: pick(['asb-youth', 'fly-tipping', 'burglary', 'drugs'] as const),
        location: { areaCode: pick(AREAS), lat: 51.6 + random() / 10, lng: -0.1 + random() / 10, address: random() < 0.5 ? `${p} High Street` : undefined },
        raisedAt: day(p % 60),
        groupCode: `${meeting.partnership}-safe`,
      }),
    ]);
    if (random() < 0.5) await appendEvents(store, problemStream, [{ type: 'ProblemPrioritised', data: { priority: pick(['high', 'medium', 'low'] as const), harmScore: Math.floor(random() * 100), rationale: 'impact' } }]);
    if (random() < 0.3) await appendEvents(store, problemStream, [{ type: 'ProblemAnalysed', data: { victim: 'shop keepers', hypotheses: ['no guardians after 9pm'] } }]);
    if (random() < 0.3) await appendEvents(store, problemStream, [{ type: 'ProblemAmended', data: { title: `Amended title ${p}` } }]);
    if (random() < 0.6) await appendEvents(store, problemStream, [{ type: 'ProblemTabled', data: { meetingId: meeting.id } }]);

    const actions = Math.floor(random() * 4);
    for (let a = 0; a < actions; a += 1) {
      const actionId = randomUUID();
      const agency = pick(AGENCIES);
      const assigned = actionAssigned(actionId, problemId, {
        partnership: meeting.partnership,
        agency,
        dueBy: day((p % 60) + 10 + a),
        assignedAt: day((p % 60) + 1),
        meetingId: random() < 0.5 ? meeting.id : undefined,
        tactic: pick([{ category: 'prevention', name: 'CCTV' }, { category: 'environmental', name: 'clean-up' }, { category: 'engagement', name: 'leaflet drop' }] as const),
      });
      last = await appendAtomically(store, [
        { stream: problemStream, events: [{ type: 'ActionAgreed', data: { actionId, agency, ...(assigned.data.meetingId ? { meetingId: assigned.data.meetingId } : {}) } }] },
        { stream: `action-${actionId}`, events: [assigned] },
      ]);
      const life: DomainEvent[] = [];
      const roll = random();
      const claim: DomainEvent = { type: 'ActionClaimed', data: { by: { userId: `u-${agency}`, name: `Officer ${agency}`, agency } } };
      if (roll < 0.2) {
        life.push({ type: 'ActionDeclined', data: { reasonCode: 'not-our-remit', note: 'not ours' } });
        life.push({ type: 'ActionReassigned', data: { fromAgency: agency, toAgency: 'POLICE', reason: 'police lead' } });
        life.push({ type: 'ActionClaimed', data: { by: { userId: 'u-police', name: 'PC Reid', agency: 'POLICE' } } });
      } else if (roll < 0.35) {
        life.push({ type: 'ActionEscalated', data: { reason: 'overdue', dueBy: assigned.data.dueBy, dueByRevision: 0 } });
        life.push({ type: 'ActionDueDateChanged', data: { dueBy: day((p % 60) + 30), reason: 'more time' } });
      } else if (roll < 0.45) {
        life.push(claim, { type: 'ActionReleased', data: { reason: 'on leave' } });
      } else if (roll < 0.55) {
        life.push({ type: 'ActionCancelled', data: { reason: 'no longer needed' } });
      } else if (roll < 0.9) {
        life.push(claim);
        life.push({ type: 'InterventionRecorded', data: { interventionId: randomUUID(), tactic: assigned.data.tactic, description: 'done it', occurredAt: day((p % 60) + 2) } });
        if (random() < 0.5) life.push({ type: 'InterventionRecorded', data: { interventionId: randomUUID(), tactic: { category: 'engagement', name: 'door-knocking' }, description: 'knocked', occurredAt: day((p % 60) + 3) } });
        life.push({ type: 'ActionDischarged', data: { result: pick(['completed', 'partially-completed', 'not-achieved'] as const), note: 'finished', dischargedAt: day((p % 60) + 5) } });
      }
      if (life.length > 0) last = await appendEvents(store, `action-${actionId}`, life);
    }
    if (random() < 0.5) await appendEvents(store, problemStream, [{ type: 'ProblemReviewed', data: { rag: pick(['red', 'amber', 'green'] as const), note: 'reviewed' } }]);
    if (random() < 0.4) {
      const close = (outcome: 'reduced' | 'eliminated' | 'no-change', when: number): DomainEvent => ({
        type: 'ProblemClosed',
        data: { outcome, assessment: 'assessed', closedAt: day((p % 60) + when), override: true, overrideReason: 'test' },
      });
      const events: DomainEvent[] = [close('reduced', 20)];
      if (random() < 0.4) events.push({ type: 'ProblemReopened', data: { reason: 'came back' } }, close(pick(['eliminated', 'no-change'] as const), 40));
      last = await appendEvents(store, problemStream, events);
    }
  }
  for (const meeting of meetings) {
    last = await appendEvents(store, `meeting-${meeting.id}`, [{ type: 'MeetingClosed', data: { minutesNote: 'minutes' } }]);
  }
  return last!;
}
