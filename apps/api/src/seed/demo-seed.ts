import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { Principal } from '@tasking/auth';
import type { DeclineReasonCode, DischargeResult, Outcome, Priority, ProblemCategory, Rag } from '@tasking/domain';
import { canonicalJson, sha256Hex } from '@tasking/shared';
import { AnalyseProblemCommand } from '../commands/analyse-problem/analyse-problem.command';
import { AssignActionCommand } from '../commands/assign-action/assign-action.command';
import { ClaimActionCommand } from '../commands/claim-action/claim-action.command';
import { CloseMeetingCommand } from '../commands/close-meeting/close-meeting.command';
import { CloseProblemCommand } from '../commands/close-problem/close-problem.command';
import type { CommandContext, CommandResult } from '@tasking/application';
import { DeclineActionCommand } from '../commands/decline-action/decline-action.command';
import { DischargeActionCommand } from '../commands/discharge-action/discharge-action.command';
import { PrioritiseProblemCommand } from '../commands/prioritise-problem/prioritise-problem.command';
import { PutAreaCommand } from '../commands/put-area/put-area.command';
import { RaiseProblemCommand } from '../commands/raise-problem/raise-problem.command';
import { ReassignActionCommand } from '../commands/reassign-action/reassign-action.command';
import { RecordAttendanceCommand } from '../commands/record-attendance/record-attendance.command';
import { RecordInterventionCommand } from '../commands/record-intervention/record-intervention.command';
import { RegisterAgencyCommand } from '../commands/register-agency/register-agency.command';
import { RegisterGroupCommand } from '../commands/register-group/register-group.command';
import { RegisterOpen311ClientCommand } from '../commands/register-open311-client/register-open311-client.command';
import { ReopenProblemCommand } from '../commands/reopen-problem/reopen-problem.command';
import { ReviewProblemCommand } from '../commands/review-problem/review-problem.command';
import { ScheduleMeetingCommand } from '../commands/schedule-meeting/schedule-meeting.command';
import { SetGroupMembersCommand } from '../commands/set-group-members/set-group-members.command';
import { SetGroupScheduleCommand } from '../commands/set-group-schedule/set-group-schedule.command';
import { TableProblemCommand } from '../commands/table-problem/table-problem.command';
import { DEMO_USERS, type DemoUser } from './demo-users';
import { demoBoundaries, sharedEdges } from './demo-boundaries';
import { DemoEvidence, areaEvidence, type EvidenceSummary, type Send } from './demo-evidence';

const DAY = 86_400_000;

/** A small deterministic generator (mulberry32): the same seed gives the same partnership. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENCIES = [
  { code: 'POLICE', name: 'Riverside Neighbourhood Policing Team', kind: 'police' },
  { code: 'COUNCIL-ASB', name: 'Riverside Council ASB Team', kind: 'local-authority' },
  { code: 'STREET-SCENE', name: 'Riverside Council Street Scene', kind: 'local-authority' },
  { code: 'FIRE', name: 'County Fire and Rescue Service', kind: 'fire-rescue' },
  { code: 'HOUSING', name: 'Riverside Homes (housing association)', kind: 'housing' },
  { code: 'YOUTH', name: 'Riverside Youth Service', kind: 'youth' },
  { code: 'SAFER-STREETS-TRUST', name: 'Safer Streets Trust (voluntary)', kind: 'voluntary' },
] as const;

const AREAS = [
  { code: 'northfield-estate', name: 'Northfield Estate', lat: 52.9621, lng: -1.1702, group: 'riverside-north' },
  { code: 'market-parade', name: 'Market Parade', lat: 52.9552, lng: -1.1498, group: 'riverside-north' },
  { code: 'station-quarter', name: 'Station Quarter', lat: 52.9469, lng: -1.1462, group: 'riverside-north' },
  { code: 'canal-basin', name: 'Canal Basin', lat: 52.9431, lng: -1.1589, group: 'riverside-south' },
  { code: 'oakwood', name: 'Oakwood', lat: 52.9347, lng: -1.1811, group: 'riverside-south' },
  { code: 'riverside-park', name: 'Riverside Park', lat: 52.9388, lng: -1.1371, group: 'riverside-south' },
] as const;

const GROUPS = [
  { code: 'riverside-north', name: 'Riverside North Tasking Group' },
  { code: 'riverside-south', name: 'Riverside South Tasking Group' },
] as const;

/** Each group's standing members: one representative of every agency. */
const MEMBERS = AGENCIES.map((a) => ({ name: `${a.name} representative`, agency: a.code }));

const dateOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

interface TacticPlan {
  category: string;
  name: string;
  agency: string;
  task: string;
}

/** What a tasking meeting typically agrees for each kind of problem. */
const PLAYBOOK: Partial<Record<ProblemCategory, { titles: string[]; tactics: TacticPlan[] }>> = {
  'fly-tipping': {
    titles: ['Repeat fly-tipping in the service alley', 'Dumped white goods behind the garages', 'Fly-tipping at the recycling point'],
    tactics: [
      { category: 'environmental', name: 'fly-tip removal', agency: 'STREET-SCENE', task: 'Clear the site and photograph before and after' },
      { category: 'prevention', name: 'CCTV', agency: 'COUNCIL-ASB', task: 'Deploy a redeployable camera for six weeks' },
      { category: 'enforcement', name: 'warning letter', agency: 'COUNCIL-ASB', task: 'Letters to traced waste producers' },
      { category: 'engagement', name: 'leaflet drop', agency: 'HOUSING', task: 'Leaflet residents on bulky waste collections' },
    ],
  },
  'asb-youth': {
    titles: ['Youths gathering and intimidating shoppers', 'Motorbike nuisance on the playing field', 'Groups congregating in the stairwells'],
    tactics: [
      { category: 'diversion', name: 'youth diversionary activity', agency: 'YOUTH', task: 'Friday evening detached youth work sessions' },
      { category: 'diversion', name: 'sports session', agency: 'YOUTH', task: 'Twilight football at the leisure centre' },
      { category: 'enforcement', name: 'dispersal order', agency: 'POLICE', task: 'Authorise and patrol a 48-hour dispersal zone' },
      { category: 'engagement', name: 'door-knocking', agency: 'POLICE', task: 'Door-knock residents to gather information' },
      { category: 'enforcement', name: 'acceptable behaviour contract', agency: 'COUNCIL-ASB', task: 'ABCs with the persistent group members' },
    ],
  },
  graffiti: {
    titles: ['Tagging along the underpass', 'Graffiti on the shop shutters'],
    tactics: [
      { category: 'environmental', name: 'graffiti removal', agency: 'STREET-SCENE', task: 'Remove tags within 48 hours of report' },
      { category: 'prevention', name: 'CCTV', agency: 'COUNCIL-ASB', task: 'Review camera coverage of the underpass' },
    ],
  },
  burglary: {
    titles: ['Run of shed and garage burglaries', 'Distraction burglaries targeting older residents'],
    tactics: [
      { category: 'prevention', name: 'target hardening', agency: 'HOUSING', task: 'Fit locks and lighting to affected properties' },
      { category: 'prevention', name: 'property marking', agency: 'POLICE', task: 'Property marking event at the community centre' },
      { category: 'engagement', name: 'neighbourhood watch recruitment', agency: 'SAFER-STREETS-TRUST', task: 'Recruit street coordinators' },
    ],
  },
  arson: {
    titles: ['Wheelie bin fires behind the flats', 'Deliberate fires in the derelict yard'],
    tactics: [
      { category: 'environmental', name: 'clean-up', agency: 'STREET-SCENE', task: 'Remove combustible waste from the yard' },
      { category: 'engagement', name: 'door-knocking', agency: 'FIRE', task: 'Home fire safety visits and bin storage advice' },
      { category: 'prevention', name: 'alley gating', agency: 'COUNCIL-ASB', task: 'Consult residents on gating the rear alley' },
    ],
  },
  'street-drinking': {
    titles: ['Street drinking outside the off-licence', 'Drinking and urination in the churchyard'],
    tactics: [
      { category: 'enforcement', name: 'community protection notice', agency: 'COUNCIL-ASB', task: 'Warnings then CPNs for persistent drinkers' },
      { category: 'support', name: 'referral to support services', agency: 'SAFER-STREETS-TRUST', task: 'Outreach and referrals to alcohol services' },
      { category: 'partnership-operation', name: 'licensing visit', agency: 'POLICE', task: 'Joint licensing visit to the off-licence' },
    ],
  },
  drugs: {
    titles: ['Suspected drug dealing from a flat', 'Discarded needles in the park'],
    tactics: [
      { category: 'enforcement', name: 'closure order', agency: 'POLICE', task: 'Gather evidence for a closure order' },
      { category: 'support', name: 'substance-misuse treatment referral', agency: 'SAFER-STREETS-TRUST', task: 'Refer users to treatment services' },
      { category: 'environmental', name: 'clean-up', agency: 'STREET-SCENE', task: 'Sweep and sharps collection twice weekly' },
    ],
  },
  'asb-neighbour': {
    titles: ['Long-running neighbour dispute over parking', 'Noise and abuse between neighbours'],
    tactics: [
      { category: 'support', name: 'mediation', agency: 'SAFER-STREETS-TRUST', task: 'Offer mediation to both households' },
      { category: 'engagement', name: 'ASB diaries', agency: 'HOUSING', task: 'Issue and review ASB diaries' },
      { category: 'enforcement', name: 'warning letter', agency: 'HOUSING', task: 'Tenancy warning letters' },
    ],
  },
  'vehicle-crime': {
    titles: ['Thefts from vehicles in the station car park'],
    tactics: [
      { category: 'prevention', name: 'street lighting', agency: 'COUNCIL-ASB', task: 'Survey and repair car park lighting' },
      { category: 'engagement', name: 'leaflet drop', agency: 'POLICE', task: '"Lock it or lose it" leaflets on windscreens' },
    ],
  },
  'criminal-damage': {
    titles: ['Smashed bus shelter glass', 'Damage to the play area'],
    tactics: [
      { category: 'prevention', name: 'target hardening', agency: 'COUNCIL-ASB', task: 'Replace glass with polycarbonate' },
      { category: 'partnership-operation', name: 'multi-agency patrol', agency: 'POLICE', task: 'Evening patrols with council wardens' },
    ],
  },
};

const CATEGORIES = Object.keys(PLAYBOOK) as ProblemCategory[];
const OFFICER_OF: Record<string, DemoUser> = {
  POLICE: 'policeOfficer',
  'COUNCIL-ASB': 'councilOfficer',
  'STREET-SCENE': 'streetSceneOfficer',
  FIRE: 'fireOfficer',
  HOUSING: 'housingOfficer',
  YOUTH: 'youthOfficer',
  'SAFER-STREETS-TRUST': 'voluntaryOfficer',
};

export interface SeedOptions {
  partnership: string;
  /** "Now" for the demo: history runs up to it. */
  now: Date;
  /** Months of problem history before now (default 4); incidents go back a year. */
  months?: number;
  seed?: number;
  /**
   * Sources, incidents, their links and the Open311 client (default true). The benchmarks leave
   * them out: their templates copy the problem history, whose size docs/performance.md states.
   */
  evidence?: boolean;
}

export interface SeedSummary extends EvidenceSummary {
  commands: number;
  problems: number;
  actions: number;
  meetings: number;
  /** The Open311 client's API key: only the run that registers it has it (the store keeps its hash). */
  open311ApiKey?: string;
}

type Operation = { at: number; order: number; run: () => Promise<void> };

/**
 * Writes a realistic partnership through the command layer (not HTTP), each command at its own
 * moment in a simulated few months: agencies, areas, two tasking groups meeting fortnightly,
 * problems raised between meetings, actions agreed at meetings, claimed, worked, discharged or
 * left in process, problems reviewed, closed with outcomes and sometimes reopened. Problems and
 * actions get their case references as they are raised and assigned (`SAFE-2026-0001`,
 * `SAFE-2026-0001/1` with `REFERENCE_PREFIXES=default=SAFE`, as deploy/docker-compose.yml sets it),
 * numbered in the year each was raised in the story. Every command
 * carries an idempotency key, so ids are the same each run and a repeated run appends nothing.
 */
export async function seedDemo(app: INestApplicationContext, options: SeedOptions): Promise<SeedSummary> {
  const bus = app.get(CommandBus);
  const rand = random(options.seed ?? 20261125);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const end = options.now.getTime();
  const start = end - (options.months ?? 4) * 30 * DAY;
  const summary: SeedSummary = { commands: 0, problems: 0, actions: 0, meetings: 0, incidents: 0, linked: 0 };
  /** When a group first meets (its schedule starts that day): a week in, the second group three days later. */
  const firstMeetingAt = (code: string): number => start + (7 + GROUPS.findIndex((g) => g.code === code) * 3) * DAY + 10 * 3_600_000;
  let sequence = 0;

  const send: Send = async <R extends CommandResult>(user: DemoUser, at: number, make: (context: CommandContext) => Command<R>, op: string): Promise<R> => {
    const key = `demo-${(sequence += 1)}`;
    const principal: Principal = { ...DEMO_USERS[user], roles: [...DEMO_USERS[user].roles], partnerships: [options.partnership] };
    const context: CommandContext = {
      principal,
      now: new Date(Math.min(at, end)),
      correlationId: `seed-${key}`,
      idempotency: { key, method: 'SEED', path: `/seed/${op}`, bodyHash: '' },
    };
    const command = make(context);
    context.idempotency!.bodyHash = sha256Hex(canonicalJson({ ...(command as object), context: undefined }));
    summary.commands += 1;
    return bus.execute(command);
  };
  const iso = (t: number) => new Date(Math.min(t, end)).toISOString();

  // Reference data, a day before the history starts (the incidents' year, or the problems' months if longer).
  const setup = (options.evidence === false ? start : Math.min(start, end - 366 * DAY)) - DAY;
  for (const agency of AGENCIES) await send('admin', setup, (c) => new RegisterAgencyCommand(c, { ...agency }), 'agency');
  const boundaries = demoBoundaries(AREAS);
  const areaFacts = areaEvidence(AREAS, sharedEdges(boundaries));
  // Areas first, then their neighbours: an area names only areas already registered.
  for (const withNeighbours of [false, true]) {
    for (const [index, area] of AREAS.entries()) {
      const { lsoaCodes, externalCode, neighbours } = areaFacts[index]!;
      const body = { name: area.name, partnership: options.partnership, centroid: { lat: area.lat, lng: area.lng }, boundary: boundaries[index]!, lsoaCodes, externalCode };
      await send('admin', setup, (c) => new PutAreaCommand(c, area.code, withNeighbours ? { ...body, neighbours } : body), 'area');
    }
  }
  const evidence = options.evidence === false ? undefined : new DemoEvidence(send, options.partnership, AREAS, areaFacts, boundaries, end);
  const client = evidence && (await send('admin', setup, (c) => new RegisterOpen311ClientCommand(c, { name: 'FixMyStreet (Riverside)', partnership: options.partnership }), 'open311-client'));
  await evidence?.registerSources(setup);
  await evidence?.recordBulk();
  for (const group of GROUPS) {
    const areaCodes = AREAS.filter((a) => a.group === group.code).map((a) => a.code);
    await send('admin', setup, (c) => new RegisterGroupCommand(c, { code: group.code, name: group.name, partnership: options.partnership, areaCodes }), 'group');
    await send('inspector', setup, (c) => new SetGroupScheduleCommand(c, group.code, { everyDays: 14, from: dateOf(firstMeetingAt(group.code)), partnership: options.partnership }), 'group-schedule');
    await send('inspector', setup, (c) => new SetGroupMembersCommand(c, group.code, { members: MEMBERS, partnership: options.partnership }), 'group-members');
  }

  // The simulation: operations run in time order; an operation may schedule later ones.
  const queue: Operation[] = [];
  let order = 0;
  const at = (time: number, run: () => Promise<void>) => {
    if (time < end) queue.push({ at: time, order: (order += 1), run });
  };

  interface OpenProblem {
    id: string;
    category: ProblemCategory;
    group: string;
    raisedAt: number;
    tabled: boolean;
    actions: { id: string; plan: TacticPlan; done: boolean }[];
  }
  const waiting = new Map<string, OpenProblem[]>(GROUPS.map((g) => [g.code, []]));

  // Problems are raised between meetings, a few a week across the areas.
  for (let t = start + DAY; t < end - 2 * DAY; t += (2 + rand() * 4) * DAY) {
    const raisedAt = t + Math.floor(rand() * 8) * 3_600_000;
    at(raisedAt, async () => {
      const area = pick(AREAS);
      const category = pick(CATEGORIES);
      const play = PLAYBOOK[category]!;
      const title = `${pick(play.titles)}, ${area.name}`;
      const jitter = () => (rand() - 0.5) * 0.006;
      const raised = await send('inspector', raisedAt, (c) =>
        new RaiseProblemCommand(c, {
          title,
          description: `Reported repeatedly to the neighbourhood team and the council; ${category.replace(/-/g, ' ')} concentrated around ${area.name}.`,
          category,
          location: { areaCode: area.code, lat: area.lat + jitter(), lng: area.lng + jitter() },
          source: pick(['tasking-meeting', 'community', 'partner-referral', 'analysis'] as const),
          groupCode: area.group,
          partnership: options.partnership,
          raisedAt: iso(raisedAt),
        }), 'raise');
      summary.problems += 1;
      await evidence?.linkTo(raised.id, area.code, category, raisedAt);
      const problem: OpenProblem = { id: raised.id, category, group: area.group, raisedAt, tabled: false, actions: [] };
      if (rand() < 0.8) {
        const priority = pick(['high', 'medium', 'medium', 'low'] as Priority[]);
        await send('inspector', raisedAt + 3_600_000, (c) =>
          new PrioritiseProblemCommand(c, problem.id, { priority, harmScore: Math.round(rand() * 80 + 10), rationale: 'Repeat demand and community impact' }), 'prioritise');
      }
      if (rand() < 0.5) {
        await send('inspector', raisedAt + 2 * 3_600_000, (c) =>
          new AnalyseProblemCommand(c, problem.id, {
            victim: 'Residents and businesses nearby',
            offender: 'Small number of repeat offenders suspected',
            location: 'Poorly lit, little natural surveillance',
            hypotheses: ['Opportunity created by the layout', 'Displacement from a neighbouring area'],
          }), 'analyse');
      }
      waiting.get(area.group)!.push(problem);
    });
  }

  // Each group meets fortnightly, by its schedule: attendance (the members, some sending apologies), table new problems, agree actions, review the rest.
  const reviewable = new Map<string, OpenProblem[]>(GROUPS.map((g) => [g.code, []]));
  for (const group of GROUPS) {
    for (let heldAt = firstMeetingAt(group.code); heldAt < end; heldAt += 14 * DAY) {
      at(heldAt, async () => {
        const meeting = await send('inspector', heldAt - 3 * DAY, (c) =>
          new ScheduleMeetingCommand(c, { groupCode: group.code, heldOn: dateOf(heldAt), chair: DEMO_USERS.inspector.name, partnership: options.partnership }), 'meeting');
        summary.meetings += 1;
        await send('inspector', heldAt, (c) =>
          new RecordAttendanceCommand(c, meeting.id, {
            attendees: MEMBERS.map(({ name, agency }) => (rand() < 0.85 ? { name, agency } : { name, agency, status: 'apologies' as const })),
          }), 'attendance');
        for (const problem of reviewable.get(group.code)!) {
          const open = problem.actions.filter((a) => !a.done).length;
          const rag: Rag = open === 0 ? 'green' : open > 1 ? 'red' : 'amber';
          await send('inspector', heldAt + 60_000, (c) => new ReviewProblemCommand(c, problem.id, { rag, note: `${open} action(s) still open`, meetingId: meeting.id }), 'review');
        }
        const tabling = waiting.get(group.code)!.splice(0);
        for (const problem of tabling) {
          await send('inspector', heldAt + 120_000, (c) => new TableProblemCommand(c, meeting.id, { problemId: problem.id }), 'table');
          problem.tabled = true;
          const tactics = [...PLAYBOOK[problem.category]!.tactics].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 2));
          for (const plan of tactics) {
            const dueBy = heldAt + (14 + Math.floor(rand() * 28)) * DAY;
            const assigned = await send('inspector', heldAt + 180_000, (c) =>
              new AssignActionCommand(c, problem.id, { agency: plan.agency, description: plan.task, tactic: { category: plan.category, name: plan.name }, dueBy: new Date(dueBy).toISOString(), meetingId: meeting.id }), 'assign');
            summary.actions += 1;
            const action = { id: assigned.id, plan, done: false };
            problem.actions.push(action);
            scheduleWork(problem, action, heldAt, dueBy);
          }
          reviewable.get(group.code)!.push(problem);
        }
        await send('inspector', heldAt + 2 * 3_600_000, (c) => new CloseMeetingCommand(c, meeting.id, { minutesNote: `${tabling.length} new problem(s) tabled; actions agreed and recorded.` }), 'close-meeting');
      });
    }
  }

  /** An agency's officer takes the action on, works it, and discharges it (or it is still in hand). */
  function scheduleWork(problem: OpenProblem, action: OpenProblem['actions'][number], assignedAt: number, dueBy: number): void {
    let agency = action.plan.agency;
    let claimAt = assignedAt + (1 + rand() * 5) * DAY;
    if (rand() < 0.1) {
      const declineAt = assignedAt + DAY;
      at(declineAt, async () => {
        const reasonCode: DeclineReasonCode = pick(['not-our-remit', 'no-capacity'] as const);
        await send(OFFICER_OF[agency]!, declineAt, (c) => new DeclineActionCommand(c, action.id, { reasonCode, note: 'Better placed with another partner' }), 'decline');
        const to = agency === 'COUNCIL-ASB' ? 'POLICE' : 'COUNCIL-ASB';
        await send('inspector', declineAt + DAY, (c) => new ReassignActionCommand(c, action.id, { agency: to, reason: 'Agreed by email with both agencies' }), 'reassign');
        agency = to;
      });
      claimAt += 2 * DAY;
    }
    at(claimAt, async () => {
      await send(OFFICER_OF[agency]!, claimAt, (c) => new ClaimActionCommand(c, action.id), 'claim');
    });
    const visits = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < visits; i += 1) {
      const when = claimAt + (i + 1) * (2 + rand() * 6) * DAY;
      at(when, async () => {
        await send(OFFICER_OF[agency]!, when, (c) =>
          new RecordInterventionCommand(c, action.id, { tactic: { category: action.plan.category, name: action.plan.name }, description: `${action.plan.task}: visit ${i + 1} completed`, occurredAt: iso(when) }), 'intervention');
      });
    }
    const lateness = rand() < 0.25 ? (3 + rand() * 10) * DAY : -(rand() * 7) * DAY;
    const dischargeAt = Math.max(claimAt + (visits + 1) * 8 * DAY, dueBy + lateness);
    at(dischargeAt, async () => {
      const result: DischargeResult = pick(['completed', 'completed', 'completed', 'partially-completed', 'not-achieved'] as const);
      await send(OFFICER_OF[agency]!, dischargeAt, (c) => new DischargeActionCommand(c, action.id, { result, note: `${action.plan.task}: ${result.replace('-', ' ')}`, dischargedAt: iso(dischargeAt) }), 'discharge');
      action.done = true;
      if (problem.actions.every((a) => a.done)) scheduleClosure(problem, dischargeAt);
    });
  }

  function scheduleClosure(problem: OpenProblem, lastDischarge: number): void {
    if (rand() < 0.25) return; // some problems stay open for monitoring
    const closeAt = lastDischarge + (2 + rand() * 10) * DAY;
    at(closeAt, async () => {
      const outcome: Outcome = pick(['eliminated', 'reduced', 'reduced', 'reduced-harm', 'handled-better', 'displaced', 'no-change', 'responsibility-shifted'] as const);
      await send('inspector', closeAt, (c) =>
        new CloseProblemCommand(c, problem.id, {
          outcome,
          assessment: `Reports fell after the agreed actions; assessed as ${outcome.replace('-', ' ')}.`,
          ...(outcome === 'displaced' ? { displacement: 'spatial' as const } : {}),
          closedAt: iso(closeAt),
        }), 'close');
      reviewable.set(problem.group, reviewable.get(problem.group)!.filter((p) => p !== problem));
      if (rand() < 0.12) {
        const reopenAt = closeAt + (10 + rand() * 20) * DAY;
        at(reopenAt, async () => {
          await send('inspector', reopenAt, (c) => new ReopenProblemCommand(c, problem.id, { reason: 'Reports have started again' }), 'reopen');
        });
      }
    });
  }

  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = queue.shift()!;
    await next.run();
  }

  if (evidence === undefined) return summary;
  // Last, the evidence of the last weeks: a problem raised from a run of fires, and residents' reports to triage.
  await evidence.raiseFromSpike(AREAS.find((a) => a.code === 'northfield-estate')!.group);
  summary.problems += 1;
  await evidence.recordReports();
  return { ...summary, ...evidence.summary, ...(client?.apiKey === undefined ? {} : { open311ApiKey: client.apiKey }) };
}
