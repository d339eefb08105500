/**
 * Realistic incident files for the demo and the import benchmark: a data.police.uk street-level
 * file (its columns and its crime-type mix) and a council's service-request extract, written
 * line by line so a million rows never sit in memory.
 */

/** One LSOA the file places rows in: its code and name, its area and a point inside it. */
export interface SampleLsoa {
  code: string;
  name: string;
  lat: number;
  lng: number;
}

/** A small deterministic generator (mulberry32): the same seed gives the same file. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The crime types of data.police.uk's street-level files, with their approximate shares of
 * English forces' recorded crime and ASB (violence about a third, ASB about a fifth).
 */
export const POLICE_UK_CRIME_MIX: readonly (readonly [string, number])[] = [
  ['Violence and sexual offences', 0.33],
  ['Anti-social behaviour', 0.2],
  ['Criminal damage and arson', 0.08],
  ['Public order', 0.08],
  ['Other theft', 0.08],
  ['Shoplifting', 0.07],
  ['Vehicle crime', 0.05],
  ['Burglary', 0.045],
  ['Drugs', 0.025],
  ['Other crime', 0.015],
  ['Theft from the person', 0.015],
  ['Bicycle theft', 0.012],
  ['Robbery', 0.01],
  ['Possession of weapons', 0.008],
];

const OUTCOMES = [
  'Investigation complete; no suspect identified',
  'Unable to prosecute suspect',
  'Under investigation',
  'Status update unavailable',
  'Awaiting court outcome',
  'Local resolution',
  'Offender given a caution',
  'Court result unavailable',
];

const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Park Avenue', 'Mill Road', 'Canal Side', 'Market Place', 'Oak Close'];

export const POLICE_UK_HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';

export interface PoliceUkFileOptions {
  lsoas: readonly SampleLsoa[];
  /** The last month in the file, `YYYY-MM`. */
  lastMonth: string;
  months: number;
  rows: number;
  force?: string;
  seed?: number;
  /** Multiplies the rows of one LSOA and crime type in the file's last `months` months (a rising hotspot). */
  surge?: { lsoa: string; crimeType: string; months: number; factor: number };
}

const pick = <T>(items: readonly T[], r: number): T => items[Math.min(items.length - 1, Math.floor(r * items.length))]!;

function monthsBack(lastMonth: string, back: number): string {
  const [year, month] = lastMonth.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const hex = (random: () => number, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
};

/** The file's lines, header first, each without its line ending. */
export function* policeUkStreetLines(options: PoliceUkFileOptions): Generator<string> {
  const random = seeded(options.seed ?? 1);
  const force = options.force ?? 'Riverside Police';
  const cumulative: [string, number][] = [];
  let total = 0;
  for (const [type, share] of POLICE_UK_CRIME_MIX) cumulative.push([type, (total += share)]);
  const crimeType = (r: number): string => cumulative.find(([, upTo]) => r * total < upTo)?.[0] ?? cumulative.at(-1)![0];
  yield POLICE_UK_HEADER;
  for (let i = 0; i < options.rows; i++) {
    const back = Math.floor(random() * options.months);
    const month = monthsBack(options.lastMonth, back);
    const lsoa = pick(options.lsoas, random());
    const type = crimeType(random());
    const surge = options.surge;
    const copies = surge && back < surge.months && lsoa.code === surge.lsoa && type === surge.crimeType ? surge.factor : 1;
    for (let c = 0; c < copies; c++) {
      const lng = (lsoa.lng + (random() - 0.5) * 0.004).toFixed(6);
      const lat = (lsoa.lat + (random() - 0.5) * 0.003).toFixed(6);
      const asb = type === 'Anti-social behaviour';
      const id = asb ? '' : hex(random, 64);
      const outcome = asb ? '' : pick(OUTCOMES, random());
      yield `${id},${month},${force},${force},${lng},${lat},On or near ${pick(STREETS, random())},${lsoa.code},${lsoa.name},${type},${outcome},`;
    }
  }
}

export const COUNCIL_HEADER = 'Reference,Reported,Type,Easting,Northing,Ward,Details';

export interface CouncilFileOptions {
  /** Points (British National Grid) per area code: where the council's records fall. */
  places: readonly { easting: number; northing: number }[];
  /** The last day in the file (`YYYY-MM-DD`). */
  lastDay: string;
  days: number;
  rows: number;
  types: readonly string[];
  seed?: number;
  /** Multiplies the rows of one place and type in the last `days` days. */
  surge?: { place: number; type: string; days: number; factor: number };
}

/** A council's service-request extract (fly-tips, graffiti, …) with dates, British National Grid points and free text. */
export function* councilLines(options: CouncilFileOptions): Generator<string> {
  const random = seeded(options.seed ?? 2);
  const last = Date.parse(`${options.lastDay}T12:00:00Z`);
  yield COUNCIL_HEADER;
  let reference = 100_000;
  for (let i = 0; i < options.rows; i++) {
    const back = Math.floor(random() * options.days);
    const place = Math.floor(random() * options.places.length);
    const type = pick(options.types, random());
    const surge = options.surge;
    const copies = surge && back < surge.days && place === surge.place && type === surge.type ? surge.factor : 1;
    for (let c = 0; c < copies; c++) {
      const at = options.places[place]!;
      const dayBack = c === 0 ? back : Math.floor(random() * surge!.days);
      const day = new Date(last - dayBack * 86_400_000).toISOString().slice(0, 10);
      const easting = Math.round(at.easting + (random() - 0.5) * 300);
      const northing = Math.round(at.northing + (random() - 0.5) * 300);
      yield `CR${reference++},${day},${type},${easting},${northing},,"${type} reported near ${pick(STREETS, random())}"`;
    }
  }
}
