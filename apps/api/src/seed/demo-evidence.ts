/**
 * The demo partnership's evidence (evidence.md, "Incidents"): its areas' LSOAs, neighbours and
 * ward codes, its sources, and a year of incidents recorded through the command layer: a
 * data.police.uk street file, a council's service requests, the fire service's deliberate fires
 * and residents' reports waiting for triage. Two (area, category) pairs rise sharply in the last
 * weeks: station-quarter noise, which no problem covers, and northfield-estate arson, which a
 * problem raised from its incidents does.
 */
import type { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import { POLICE_UK_CATEGORY_MAP, mapCategory, resolveArea, toGrid, toWgs84, type ResolvableArea } from '@tasking/application';
import type { AreaBoundary, CategoryMap, ProblemCategory, SourceKind } from '@tasking/domain';
import { DismissIncidentCommand } from '../commands/dismiss-incident/dismiss-incident.command';
import { LinkIncidentCommand } from '../commands/link-incident/link-incident.command';
import { MarkIncidentDuplicateCommand } from '../commands/mark-incident-duplicate/mark-incident-duplicate.command';
import { PutSourceCommand } from '../commands/put-source/put-source.command';
import { RaiseProblemCommand } from '../commands/raise-problem/raise-problem.command';
import { RecordIncidentCommand } from '../commands/record-incident/record-incident.command';
import type { RecordIncidentRequest } from '../commands/record-incident/record-incident.request.dto';
import type { DemoUser } from './demo-users';
import { councilLines, policeUkStreetLines, seeded, type SampleLsoa } from './incident-files';

const DAY = 86_400_000;

/** The seed's way of sending a command as a demo user at a moment of the story. */
export type Send = <R extends CommandResult>(user: DemoUser, at: number, make: (context: CommandContext) => Command<R>, op: string) => Promise<R>;

export interface DemoArea {
  code: string;
  name: string;
  lat: number;
  lng: number;
  group: string;
}

/** What an area carries for incidents: its LSOAs (as the police file names them), ward code and neighbours. */
export interface AreaEvidence {
  lsoas: SampleLsoa[];
  lsoaCodes: string[];
  externalCode: string;
  neighbours: string[];
}

/** Areas whose 2011 LSOA was split in 2021: they list the old code too, which older police files carry. */
const SPLIT_IN_2021 = new Set([0, 3]);

/**
 * Made-up but ONS-shaped codes: LSOAs `E01099nnn` named after the district and its MSOA
 * ("Riverside 003B"), ward codes `E05099nnn`; neighbours are the areas sharing a boundary edge.
 */
export function areaEvidence(areas: readonly DemoArea[], neighbours: readonly number[][]): AreaEvidence[] {
  let next = 1;
  return areas.map((area, index) => {
    const count = 5 + (index % 4);
    const msoa = String(index + 1).padStart(3, '0');
    const lsoas: SampleLsoa[] = [];
    for (let j = 0; j < count; j += 1) {
      const angle = (2 * Math.PI * j) / count;
      lsoas.push({
        code: `E01099${String(next++).padStart(3, '0')}`,
        name: `Riverside ${msoa}${String.fromCharCode(65 + j)}`,
        lat: round(area.lat + 0.0015 * Math.sin(angle)),
        lng: round(area.lng + 0.0025 * Math.cos(angle)),
      });
    }
    if (SPLIT_IN_2021.has(index)) lsoas.push({ code: `E01099${String(900 + index).padStart(3, '0')}`, name: `Riverside ${msoa}Z (2011)`, lat: area.lat, lng: area.lng });
    return {
      lsoas,
      lsoaCodes: lsoas.map((l) => l.code),
      externalCode: `E05099${String(index + 1).padStart(3, '0')}`,
      neighbours: neighbours[index]!.map((j) => areas[j]!.code),
    };
  });
}

interface DemoSource {
  code: string;
  name: string;
  kind: SourceKind;
  categoryMap?: CategoryMap;
}

const COUNCIL_MAP: CategoryMap = {
  'Fly-tipping': 'fly-tipping',
  Graffiti: 'graffiti',
  'Abandoned vehicle': 'parking',
  Noise: 'noise',
  'Street drinking': 'street-drinking',
};
const FIRE_TYPES = ['Deliberate fire - refuse', 'Deliberate fire - vehicle', 'Deliberate fire - grassland', 'Deliberate fire - derelict building'];

/** The sources the demo registers; residents' reports come in on the built-in `console` and `open311`. */
export const DEMO_SOURCES: readonly DemoSource[] = [
  { code: 'police', name: 'Riverside Police (data.police.uk street-level crime)', kind: 'police', categoryMap: POLICE_UK_CATEGORY_MAP },
  { code: 'council', name: 'Riverside Council service requests', kind: 'council', categoryMap: COUNCIL_MAP },
  { code: 'fire', name: 'County Fire and Rescue Service incidents', kind: 'fire', categoryMap: Object.fromEntries(FIRE_TYPES.map((type) => [type, 'arson'])) },
];

/** The pairs that rise in the last weeks: the first has no problem, the second gets one raised from its incidents. */
export const EMERGING = { uncovered: { areaCode: 'station-quarter', category: 'noise' }, covered: { areaCode: 'northfield-estate', category: 'arson' } } as const;

export interface EvidenceSummary {
  incidents: number;
  linked: number;
}

interface Recorded {
  id: string;
  /** When it happened, and when it was recorded (a police month is published weeks after it ends). */
  at: number;
  recordedAt: number;
}

/**
 * Registers the sources and records the year of bulk records (police, council, fire), oldest
 * file first; then `linkTo` links a newly raised problem to incidents of its area and category.
 */
export class DemoEvidence {
  readonly summary: EvidenceSummary = { incidents: 0, linked: 0 };
  private readonly byPair = new Map<string, Recorded[]>();
  private readonly linked = new Set<string>();
  private readonly resolvable: ResolvableArea[];

  constructor(
    private readonly send: Send,
    private readonly partnership: string,
    private readonly areas: readonly DemoArea[],
    private readonly evidence: readonly AreaEvidence[],
    boundaries: readonly AreaBoundary[],
    private readonly end: number,
  ) {
    this.resolvable = areas.map((area, index) => ({ code: area.code, lsoaCodes: evidence[index]!.lsoaCodes, boundary: boundaries[index] }));
  }

  async registerSources(at: number): Promise<void> {
    for (const source of DEMO_SOURCES) {
      await this.send('admin', at, (c) => new PutSourceCommand(c, source.code, { name: source.name, kind: source.kind, categoryMap: source.categoryMap, partnership: this.partnership }), 'source');
    }
  }

  /**
   * A year of police, council and fire records (about 700: each is a command of its own, and the
   * quick start's embedded store takes some 80 ms a command), each recorded when its source would have published it.
   */
  async recordBulk(): Promise<void> {
    await this.recordPolice();
    await this.recordCouncil();
    await this.recordFire();
  }

  private async recordPolice(): Promise<void> {
    // The street file for a month is published some three weeks after it ends: the last full month is the newest.
    const endMonth = new Date(this.end).toISOString().slice(0, 7);
    const lastMonth = monthBefore(endMonth);
    const random = seeded(41);
    const lines = policeUkStreetLines({ lsoas: this.evidence.flatMap((e) => e.lsoas), lastMonth, months: 12, rows: 400, seed: 17 });
    lines.next(); // the header
    for (const line of lines) {
      const [, month, , , lng, lat, , lsoaCode, , crimeType] = line.split(',') as string[];
      const point = { lat: Number(lat), lng: Number(lng) };
      const areaCode = resolveArea({ lsoaCode, ...point }, this.resolvable);
      if (areaCode === undefined) continue;
      const monthStart = Date.parse(`${month}-01T00:00:00Z`);
      const days = Math.round((Date.parse(`${monthAfter(month!)}-01T00:00:00Z`) - monthStart) / DAY);
      // The command layer takes a date or a time: the row's month becomes a day within it.
      const occurred = monthStart + Math.floor(random() * days) * DAY;
      const published = monthStart + (days + 21) * DAY;
      const { category } = mapCategory(crimeType!, POLICE_UK_CATEGORY_MAP);
      await this.record('policeOfficer', published, occurred, { source: 'police', category, occurredAt: dateOf(occurred), location: { areaCode, ...point } });
    }
  }

  private async recordCouncil(): Promise<void> {
    const lines = councilLines({
      places: this.areas.map((area) => toGrid(area)),
      lastDay: dateOf(this.end - DAY),
      days: 365,
      rows: 200,
      types: Object.keys(COUNCIL_MAP),
      seed: 23,
    });
    lines.next();
    for (const line of lines) {
      const [, day, type, easting, northing] = line.split(',') as string[];
      const point = toWgs84({ easting: Number(easting), northing: Number(northing) });
      const areaCode = resolveArea(point, this.resolvable);
      if (areaCode === undefined) continue;
      const occurred = Date.parse(`${day}T00:00:00Z`);
      const { category } = mapCategory(type!, COUNCIL_MAP);
      await this.record('streetSceneOfficer', occurred + 1.4 * DAY, occurred, { source: 'council', category, occurredAt: day!, location: { areaCode, lat: round(point.lat), lng: round(point.lng) } });
    }
    // Noise complaints around the station's late bars, a dozen in the last four weeks.
    const random = seeded(29);
    const area = this.areas.find((a) => a.code === EMERGING.uncovered.areaCode)!;
    for (let i = 0; i < 12; i += 1) {
      const occurred = this.dayBack(1 + Math.floor(random() * 27));
      const location = { areaCode: area.code, lat: round(area.lat + (random() - 0.5) * 0.003), lng: round(area.lng + (random() - 0.5) * 0.004) };
      await this.record('streetSceneOfficer', occurred + 1.4 * DAY, occurred, { source: 'council', category: 'noise', occurredAt: dateOf(occurred), location });
    }
  }

  /** About 60 deliberate fires a year, and a run of bin fires on one estate in the last month. */
  private async recordFire(): Promise<void> {
    const random = seeded(31);
    const surge = this.areas.findIndex((a) => a.code === EMERGING.covered.areaCode);
    const fires: { area: number; type: string; occurred: number }[] = [];
    for (let i = 0; i < 60; i += 1) {
      fires.push({ area: Math.floor(random() * this.areas.length), type: FIRE_TYPES[Math.floor(random() * FIRE_TYPES.length)]!, occurred: this.dayBack(1 + Math.floor(random() * 365)) });
    }
    for (let i = 0; i < 16; i += 1) fires.push({ area: surge, type: FIRE_TYPES[0]!, occurred: this.dayBack(1 + Math.floor(random() * 30)) });
    fires.sort((a, b) => a.occurred - b.occurred);
    for (const fire of fires) {
      const area = this.areas[fire.area]!;
      const point = { lat: round(area.lat + (random() - 0.5) * 0.003), lng: round(area.lng + (random() - 0.5) * 0.004) };
      const areaCode = resolveArea(point, this.resolvable) ?? area.code;
      const { category } = mapCategory(fire.type, DEMO_SOURCES[2]!.categoryMap!);
      await this.record('fireOfficer', fire.occurred + DAY, fire.occurred, { source: 'fire', category, occurredAt: dateOf(fire.occurred), location: { areaCode, ...point } });
    }
  }

  /** Links a problem just raised to up to four earlier incidents of its area and category not yet linked. */
  async linkTo(problemId: string, areaCode: string, category: ProblemCategory, raisedAt: number): Promise<void> {
    const linkAt = raisedAt + 1_800_000;
    const candidates = this.unlinked(areaCode, category, linkAt).slice(-4);
    for (const incident of candidates) {
      await this.send('inspector', linkAt, (c) => new LinkIncidentCommand(c, incident.id, { problemId }), 'link-incident');
      this.linked.add(incident.id);
      this.summary.linked += 1;
    }
  }

  /** The covered emerging pair: a problem raised from its recent incidents, left open. */
  async raiseFromSpike(group: string): Promise<string> {
    const { areaCode, category } = EMERGING.covered;
    const raisedAt = this.end - 2 * DAY;
    const incidents = this.unlinked(areaCode, category, raisedAt).filter((i) => i.at >= raisedAt - 30 * DAY);
    const area = this.areas.find((a) => a.code === areaCode)!;
    const raised = await this.send('inspector', raisedAt, (c) =>
      new RaiseProblemCommand(c, {
        title: `Run of bin fires behind the flats, ${area.name}`,
        description: `The fire service has attended ${incidents.length} deliberate refuse fires on the estate in the last month.`,
        category,
        location: { areaCode, lat: area.lat, lng: area.lng },
        source: 'analysis',
        groupCode: group,
        partnership: this.partnership,
        raisedAt: new Date(raisedAt).toISOString(),
        incidentIds: incidents.map((i) => i.id),
      }), 'raise-from-incidents');
    for (const incident of incidents) this.linked.add(incident.id);
    this.summary.linked += incidents.length;
    return raised.id;
  }

  /**
   * Residents' reports by phone and at the counter in the last six weeks, waiting for triage
   * (some with the reporter's details, which are personal and stored encrypted); one with no
   * area (only an address), one a duplicate of another and one dismissed.
   */
  async recordReports(): Promise<void> {
    const random = seeded(53);
    const kinds: [ProblemCategory, string][] = [
      ['asb-youth', 'Group of teenagers shouting and kicking a ball against cars'],
      ['noise', 'Loud music from a flat until 3am again'],
      ['fly-tipping', 'Mattress and bags of rubbish dumped by the garages'],
      ['asb-neighbour', 'Neighbour shouting abuse over the fence'],
      ['street-drinking', 'People drinking on the bench outside the shop all afternoon'],
      ['drugs', 'Cars stopping briefly outside the same house all evening'],
      ['graffiti', 'New tags on the underpass wall'],
    ];
    const reporters = [
      { name: 'Janet Moore', phone: '07700 900123' },
      { name: 'Raj Patel', email: 'raj.patel@example.org' },
      { name: 'Sue Clarke', email: 'sue.clarke@example.com', phone: '07700 900456' },
      { name: 'Tom Baxter' },
    ];
    let first: { recorded: Recorded; body: Omit<RecordIncidentRequest, 'partnership'> } | undefined;
    for (let i = 0; i < 32; i += 1) {
      const area = this.areas[Math.floor(random() * this.areas.length)]!;
      const [category, description] = kinds[Math.floor(random() * kinds.length)]!;
      const occurred = this.end - Math.floor((2 + random() * 40) * DAY);
      const reporter = random() < 0.4 ? reporters[i % reporters.length] : undefined;
      const location = { areaCode: area.code, lat: round(area.lat + (random() - 0.5) * 0.003), lng: round(area.lng + (random() - 0.5) * 0.004) };
      const body = { source: 'console', category, occurredAt: new Date(occurred).toISOString(), location, description, reporter };
      const recorded = await this.record('councilOfficer', occurred + 3 * 3_600_000, occurred, body);
      first ??= { recorded, body };
    }
    const unmappedAt = this.end - 5 * DAY;
    await this.record('councilOfficer', unmappedAt + 3_600_000, unmappedAt, {
      source: 'console',
      category: 'fly-tipping',
      occurredAt: new Date(unmappedAt).toISOString(),
      location: { address: 'Lay-by on the bypass, past the last roundabout' },
      description: 'Builders rubble tipped in the lay-by',
      reporter: { name: 'Mike Turner', phone: '07700 900789' },
    });
    // The first report made again the next day by someone else: marked a duplicate of it.
    const { recorded: original, body } = first!;
    const againAt = original.at + 20 * 3_600_000;
    const again = await this.record('councilOfficer', againAt + 3_600_000, againAt, { ...body, occurredAt: new Date(againAt).toISOString(), description: `${body.description} (reported again)`, reporter: undefined });
    await this.send('inspector', againAt + DAY, (c) => new MarkIncidentDuplicateCommand(c, again.id, { of: original.id }), 'duplicate-incident');
    const testAt = this.end - 3 * DAY;
    const test = await this.record('councilOfficer', testAt, testAt, {
      source: 'console',
      category: 'other',
      occurredAt: new Date(testAt).toISOString(),
      location: { areaCode: this.areas[1]!.code },
      description: 'Test report from the new call-handling screen, please ignore',
    });
    await this.send('inspector', testAt + 3_600_000, (c) => new DismissIncidentCommand(c, test.id, { reasonCode: 'test', note: 'Recorded while training call handlers' }), 'dismiss-incident');
  }

  private async record(user: DemoUser, recordedAt: number, occurred: number, body: Omit<RecordIncidentRequest, 'partnership'>): Promise<Recorded> {
    const at = Math.min(recordedAt, this.end);
    const result = await this.send(user, at, (c) => new RecordIncidentCommand(c, { ...body, partnership: this.partnership }), 'incident');
    this.summary.incidents += 1;
    const recorded = { id: result.id, at: occurred, recordedAt: at };
    const areaCode = body.location.areaCode;
    if (areaCode !== undefined) {
      const key = `${areaCode}|${body.category}`;
      if (!this.byPair.has(key)) this.byPair.set(key, []);
      this.byPair.get(key)!.push(recorded);
    }
    return recorded;
  }

  /** Incidents of the pair recorded by `by` and linked to nothing yet, oldest first. */
  private unlinked(areaCode: string, category: string, by: number): Recorded[] {
    return (this.byPair.get(`${areaCode}|${category}`) ?? []).filter((i) => i.recordedAt <= by && !this.linked.has(i.id)).sort((a, b) => a.at - b.at);
  }

  private dayBack(days: number): number {
    return Date.parse(`${dateOf(this.end)}T00:00:00Z`) - days * DAY;
  }
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
const dateOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

function monthAfter(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

function monthBefore(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}
