import { createHash } from 'node:crypto';
import type { IncidentLocation, IsoDateTime, OccurredPrecision } from '@tasking/domain';
import { parseOccurredAt } from '../incidents/occurred-at';
import { toWgs84 } from '../incidents/location';
import type { CsvRow, RowRejection } from './csv-rows';
import { formatInvalid } from './csv-rows';

/**
 * From a CSV row to the fields of an incident (evidence.md, "Bulk import"), per format. The
 * category is left as the source gives it (`sourceCategory`): the source's map turns it into a
 * problem category, and the area is resolved from the location, when the import runs.
 *
 * A row that cannot be mapped is rejected with its row, the column and a reason that names the
 * column and never echoes the value (a value may be personal).
 */

export type ImportedRow = {
  row: number;
  externalId: string;
  sourceCategory: string;
  occurredAt: IsoDateTime;
  occurredPrecision: OccurredPrecision;
  /** The calendar month of `occurredAt` as the file gives it (`YYYY-MM`): what `complete=true` covers. */
  month: string;
  location: Omit<IncidentLocation, 'areaCode'>;
  outcome?: string;
  context?: string;
  description?: string;
};

export type MappedItem = ImportedRow | { row: number; rejection: RowRejection };

/** What reading times needs: the import's time (the window of accepted times) and the deployment's zone. */
export type RowClock = { now: IsoDateTime; timeZone: string };

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar month (`YYYY-MM`) of an instant in a zone. */
const monthIn = (instant: IsoDateTime, timeZone: string): string => {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    monthFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${parts['year']}-${parts['month']}`;
};

type Occurred = { occurredAt: IsoDateTime; precision: OccurredPrecision; month: string } | { reason: string };

const occurredOf = (column: string, value: string, clock: RowClock): Occurred => {
  const parsed = parseOccurredAt(value, clock.now, clock.timeZone);
  if (!parsed.ok) return { reason: `${column} is ${parsed.reason}.` };
  return { occurredAt: parsed.occurredAt, precision: parsed.precision, month: monthIn(parsed.occurredAt, clock.timeZone) };
};

/** The mapper of one file: the columns its header must hold, and each row's mapping (it may keep state across rows). */
export type RowMapper = { columns: readonly string[]; map(row: CsvRow): MappedItem };

const reject = (row: number, column: string, reason: string): MappedItem => ({ row, rejection: { row, column, reason } });

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const numberIn = (value: string, min: number, max: number): number | undefined => {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
};

type Coordinates = { lat: number; lng: number } | { none: true } | { column: string; reason: string };

const latLngOf = (latColumn: string, lat: string, lngColumn: string, lng: string): Coordinates => {
  if (lat === '' && lng === '') return { none: true };
  if (lat === '') return { column: latColumn, reason: `${latColumn} is empty while ${lngColumn} is given.` };
  if (lng === '') return { column: lngColumn, reason: `${lngColumn} is empty while ${latColumn} is given.` };
  const latitude = numberIn(lat, -90, 90);
  if (latitude === undefined) return { column: latColumn, reason: `${latColumn} is not a latitude in degrees (-90 to 90).` };
  const longitude = numberIn(lng, -180, 180);
  if (longitude === undefined) return { column: lngColumn, reason: `${lngColumn} is not a longitude in degrees (-180 to 180).` };
  return { lat: latitude, lng: longitude };
};

const optional = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

const LSOA_CODE = /^[A-Z]\d{8}$/;

const lsoaOf = (value: string | undefined): { lsoaCode?: string } | { invalid: true } => {
  const code = optional(value)?.toUpperCase();
  if (code === undefined) return {};
  return LSOA_CODE.test(code) ? { lsoaCode: code } : { invalid: true };
};

export const POLICE_UK_STREET_COLUMNS = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * data.police.uk's street-level file. A crime is identified by its Crime ID; an ASB row has none,
 * so its externalId is a SHA-256 over (Month, Reported by, Crime type, Longitude, Latitude) and the
 * row's occurrence number among rows of the same key in the file: re-importing the file gives the
 * same ids, and a re-coding of LSOAs (not in the key) does not duplicate them. The `Location` text
 * ("On or near …") is not kept: it is the publisher's approximation of the coordinates, and kept
 * as an address it would be a personal field needing a key per incident.
 */
export const policeUkStreetRows = (clock: RowClock): RowMapper => {
  const occurrences = new Map<string, number>();
  return {
    columns: POLICE_UK_STREET_COLUMNS,
    map({ row, values }: CsvRow): MappedItem {
      const month = (values['Month'] ?? '').trim();
      if (!MONTH.test(month)) return reject(row, 'Month', 'Month is not a month written YYYY-MM.');
      const when = occurredOf('Month', month, clock);
      if ('reason' in when) return reject(row, 'Month', when.reason);
      const crimeType = (values['Crime type'] ?? '').trim();
      if (crimeType === '') return reject(row, 'Crime type', 'Crime type is empty.');
      const longitude = (values['Longitude'] ?? '').trim();
      const latitude = (values['Latitude'] ?? '').trim();
      const point = latLngOf('Latitude', latitude, 'Longitude', longitude);
      if ('reason' in point) return reject(row, point.column, point.reason);
      const lsoa = lsoaOf(values['LSOA code']);
      if ('invalid' in lsoa) return reject(row, 'LSOA code', 'LSOA code is not an ONS code (a letter and eight digits).');
      if ('none' in point && lsoa.lsoaCode === undefined) return reject(row, 'Longitude', 'The row has no location: no coordinates and no LSOA code.');

      let externalId = (values['Crime ID'] ?? '').trim();
      if (externalId === '') {
        const key = sha256(JSON.stringify([month, (values['Reported by'] ?? '').trim(), crimeType, longitude, latitude]));
        const occurrence = (occurrences.get(key) ?? 0) + 1;
        occurrences.set(key, occurrence);
        externalId = sha256(`${key}:${occurrence}`);
      }
      return {
        row,
        externalId,
        sourceCategory: crimeType,
        occurredAt: when.occurredAt,
        occurredPrecision: when.precision,
        month: when.month,
        location: { ...('none' in point ? {} : point), ...lsoa },
        ...(optional(values['Last outcome category']) ? { outcome: optional(values['Last outcome category']) } : {}),
        ...(optional(values['Context']) ? { context: optional(values['Context']) } : {}),
      };
    },
  };
};

/** The `mapping` of a `mapped-csv` import: which column holds each field. */
export type CsvMapping = {
  externalId: string;
  occurredAt: string;
  category: string;
  lat?: string;
  lng?: string;
  easting?: string;
  northing?: string;
  lsoaCode?: string;
  address?: string;
  description?: string;
};

const MAPPING_FIELDS = ['externalId', 'occurredAt', 'category', 'lat', 'lng', 'easting', 'northing', 'lsoaCode', 'address', 'description'] as const;

/** The `mapping` query parameter (JSON), checked: IMPORT_FORMAT_INVALID names what is wrong with it. */
export const parseCsvMapping = (text: string | undefined): CsvMapping => {
  if (text === undefined || text.trim() === '') throw formatInvalid('A mapped-csv import needs a mapping.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw formatInvalid('The mapping is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw formatInvalid('The mapping is not a JSON object.');
  const mapping = value as Record<string, unknown>;
  for (const [field, column] of Object.entries(mapping)) {
    if (!(MAPPING_FIELDS as readonly string[]).includes(field)) throw formatInvalid(`The mapping names an unknown field "${field}".`);
    if (typeof column !== 'string' || column.trim() === '' || column.length > 200) throw formatInvalid(`The mapping's "${field}" is not a column name.`);
  }
  for (const field of ['externalId', 'occurredAt', 'category'] as const) {
    if (mapping[field] === undefined) throw formatInvalid(`The mapping lacks "${field}".`);
  }
  const has = (field: string): boolean => mapping[field] !== undefined;
  if (has('lat') !== has('lng')) throw formatInvalid('The mapping gives "lat" and "lng" together or neither.');
  if (has('easting') !== has('northing')) throw formatInvalid('The mapping gives "easting" and "northing" together or neither.');
  if (has('lat') && has('easting')) throw formatInvalid('The mapping gives either "lat" and "lng" or "easting" and "northing".');
  if (!has('lat') && !has('easting') && !has('lsoaCode')) throw formatInvalid('The mapping gives no location: "lat" and "lng", "easting" and "northing", or "lsoaCode".');
  return mapping as CsvMapping;
};

/** Any agency's extract, read through its `mapping`. */
export const mappedCsvRows = (mapping: CsvMapping, clock: RowClock): RowMapper => {
  const columns = [...new Set(MAPPING_FIELDS.map((field) => mapping[field]).filter((column): column is string => column !== undefined))];
  return {
    columns,
    map({ row, values }: CsvRow): MappedItem {
      const externalId = (values[mapping.externalId] ?? '').trim();
      if (externalId === '') return reject(row, mapping.externalId, `${mapping.externalId} (the external id) is empty.`);
      if (externalId.length > 200) return reject(row, mapping.externalId, `${mapping.externalId} (the external id) is longer than 200 characters.`);
      const when = occurredOf(mapping.occurredAt, (values[mapping.occurredAt] ?? '').trim(), clock);
      if ('reason' in when) return reject(row, mapping.occurredAt, when.reason);
      const sourceCategory = (values[mapping.category] ?? '').trim();
      if (sourceCategory === '') return reject(row, mapping.category, `${mapping.category} (the category) is empty.`);

      let point: Coordinates = { none: true };
      if (mapping.lat !== undefined && mapping.lng !== undefined) {
        point = latLngOf(mapping.lat, (values[mapping.lat] ?? '').trim(), mapping.lng, (values[mapping.lng] ?? '').trim());
      } else if (mapping.easting !== undefined && mapping.northing !== undefined) {
        const e = (values[mapping.easting] ?? '').trim();
        const n = (values[mapping.northing] ?? '').trim();
        if (e !== '' || n !== '') {
          const easting = numberIn(e, 0, 800_000);
          if (easting === undefined) return reject(row, mapping.easting, `${mapping.easting} is not an easting in metres (0 to 800000).`);
          const northing = numberIn(n, 0, 1_400_000);
          if (northing === undefined) return reject(row, mapping.northing, `${mapping.northing} is not a northing in metres (0 to 1400000).`);
          point = toWgs84({ easting, northing });
        }
      }
      if ('reason' in point) return reject(row, point.column, point.reason);
      const lsoa = lsoaOf(mapping.lsoaCode === undefined ? undefined : values[mapping.lsoaCode]);
      if ('invalid' in lsoa) return reject(row, mapping.lsoaCode as string, `${mapping.lsoaCode} is not an ONS LSOA code (a letter and eight digits).`);
      if ('none' in point && lsoa.lsoaCode === undefined) {
        return reject(row, mapping.lat ?? mapping.easting ?? (mapping.lsoaCode as string), 'The row has no location: no coordinates and no LSOA code.');
      }
      const address = mapping.address === undefined ? undefined : optional(values[mapping.address]);
      const description = mapping.description === undefined ? undefined : optional(values[mapping.description]);
      return {
        row,
        externalId,
        sourceCategory,
        occurredAt: when.occurredAt,
        occurredPrecision: when.precision,
        month: when.month,
        location: { ...('none' in point ? {} : point), ...lsoa, ...(address ? { address } : {}) },
        ...(description ? { description } : {}),
      };
    },
  };
};
