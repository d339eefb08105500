import { OPEN311_ATTRIBUTE_NAME } from '@tasking/domain';
import type { Open311Error } from './open311-format';

/**
 * The body of `POST requests`, form-encoded (as FixMyStreet sends it: `attribute[name]=value`
 * keys) or JSON (the same keys, or `attribute` as an object), read into one record. Unknown
 * parameters are ignored, as on every Open311 route.
 */
export type ServiceRequestPost = {
  apiKey?: string;
  jurisdictionId?: string;
  serviceCode: string;
  lat?: number;
  long?: number;
  addressString?: string;
  addressId?: string;
  description?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  mediaUrl?: string;
  deviceId?: string;
  accountId?: string;
  attributes: { name: string; value: string }[];
};

export type ReadResult = { ok: true; request: ServiceRequestPost } | { ok: false; errors: Open311Error[] };

export const MAX_ATTRIBUTES = 50;

/** The text fields: parameter name, record field, longest value. */
const TEXT_FIELDS = [
  ['api_key', 'apiKey', 100],
  ['jurisdiction_id', 'jurisdictionId', 100],
  ['address_string', 'addressString', 500],
  ['address_id', 'addressId', 100],
  ['description', 'description', 5000],
  ['email', 'email', 320],
  ['first_name', 'firstName', 200],
  ['last_name', 'lastName', 200],
  ['phone', 'phone', 50],
  ['media_url', 'mediaUrl', 2000],
  ['device_id', 'deviceId', 200],
  ['account_id', 'accountId', 200],
] as const satisfies readonly (readonly [string, keyof ServiceRequestPost, number])[];

const ATTRIBUTE_KEY = /^attribute\[([^\]]*)\]$/;
const MAX_ATTRIBUTE_VALUE = 1000;

/** A string or number as given (numbers only from JSON); a repeated form key is an error, not a list. */
function scalar(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

export function readServiceRequest(body: unknown): ReadResult {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ code: 400, description: 'the body must be form-encoded parameters or a JSON object' }] };
  }
  const params = body as Record<string, unknown>;
  const errors: string[] = [];
  const text = (name: string, max: number): string | undefined => {
    const value = scalar(params[name]);
    if (value === null) {
      errors.push(`${name} must be given once, as text`);
      return undefined;
    }
    if (value === undefined || value.trim() === '') return undefined;
    if (value.includes('\u0000')) errors.push(`${name} must not contain U+0000`);
    else if (value.length > max) errors.push(`${name} must be at most ${max} characters`);
    return value.trim();
  };

  const request: ServiceRequestPost = { serviceCode: '', attributes: [] };
  const fields = request as Record<string, unknown>;
  for (const [name, field, max] of TEXT_FIELDS) {
    const value = text(name, max);
    if (value !== undefined) fields[field] = value;
  }
  const serviceCode = text('service_code', 64);
  if (serviceCode === undefined) errors.push('service_code is required');
  else request.serviceCode = serviceCode;

  const coordinate = (name: 'lat' | 'long', limit: number): number | undefined => {
    const value = text(name, 40);
    if (value === undefined) return undefined;
    const number = Number(value);
    if (!/^[-+]?\d+(\.\d+)?$/.test(value) || Math.abs(number) > limit) {
      errors.push(`${name} must be a number from -${limit} to ${limit}`);
      return undefined;
    }
    return number;
  };
  const lat = coordinate('lat', 90);
  const long = coordinate('long', 180);
  if ((lat === undefined) !== (long === undefined)) errors.push('lat and long must be given together');
  else if (lat !== undefined && long !== undefined) Object.assign(request, { lat, long });
  if (params['lat'] === undefined && params['long'] === undefined && request.addressString === undefined) {
    errors.push('give lat and long, or address_string');
  }

  const attributes: [string, unknown][] = [
    ...Object.entries(params).flatMap(([key, value]): [string, unknown][] => {
      const match = ATTRIBUTE_KEY.exec(key);
      return match ? [[match[1]!, value]] : [];
    }),
    ...(params['attribute'] !== undefined && typeof params['attribute'] === 'object' && params['attribute'] !== null && !Array.isArray(params['attribute'])
      ? Object.entries(params['attribute'] as Record<string, unknown>)
      : params['attribute'] !== undefined
        ? [['', params['attribute']] as [string, unknown]]
        : []),
  ];
  if (attributes.length > MAX_ATTRIBUTES) errors.push(`at most ${MAX_ATTRIBUTES} attributes`);
  for (const [name, raw] of attributes.slice(0, MAX_ATTRIBUTES)) {
    const value = scalar(raw);
    if (!OPEN311_ATTRIBUTE_NAME.test(name)) errors.push('attribute names must be 1 to 100 letters, digits, ".", "-" or "_"');
    else if (value === null) errors.push(`attribute[${name}] must be given once, as text`);
    else if (value !== undefined && value.includes('\u0000')) errors.push(`attribute[${name}] must not contain U+0000`);
    else if (value !== undefined && value.length > MAX_ATTRIBUTE_VALUE) errors.push(`attribute[${name}] must be at most ${MAX_ATTRIBUTE_VALUE} characters`);
    else if (value !== undefined && value.trim() !== '' && !request.attributes.some((a) => a.name === name)) request.attributes.push({ name, value: value.trim() });
  }

  return errors.length > 0 ? { ok: false, errors: [...new Set(errors)].map((description) => ({ code: 400, description })) } : { ok: true, request };
}
