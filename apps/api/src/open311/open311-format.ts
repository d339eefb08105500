import { XMLBuilder } from 'fast-xml-parser';

/**
 * The GeoReport v2 documents (evidence.md, "Open311"), in XML (the specification's default and
 * FixMyStreet's) or JSON, with the specification's element names. XML carries its declaration; text
 * is escaped, and characters XML 1.0 cannot hold are left out.
 */
export type Open311Format = 'xml' | 'json';

export type Open311Document = { contentType: string; body: string };

type Scalar = string | number | boolean | null;

const CONTENT_TYPES: Record<Open311Format, string> = { xml: 'text/xml; charset=utf-8', json: 'application/json; charset=utf-8' };

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, suppressBooleanAttributes: false });

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const xmlSafe = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)]));
  return value;
};

const xml = (root: string, content: unknown): Open311Document => ({
  contentType: CONTENT_TYPES.xml,
  body: builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' }, [root]: xmlSafe(content) }),
});

const json = (content: unknown): Open311Document => ({ contentType: CONTENT_TYPES.json, body: JSON.stringify(content) });

/** A list: `<root><item>…</item>…</root>` in XML, an array of the items in JSON. */
const list = (format: Open311Format, root: string, item: string, items: readonly object[]): Open311Document =>
  format === 'json' ? json(items) : xml(root, items.length === 0 ? '' : { [item]: items });

/** The format a path asks for: `.json` or `.xml`, XML without an extension. */
export const formatOfPath = (path: string): Open311Format => (/\.json$/i.test(path.split('?')[0] ?? '') ? 'json' : 'xml');

export type Open311Error = { code: number; description: string };

/** `[{code, description}]`; XML `<errors><error><code/><description/></error></errors>`. */
export const writeErrors = (format: Open311Format, errors: readonly Open311Error[]): Open311Document => list(format, 'errors', 'error', errors);

export type Discovery = { changeset: string; contact: string; keyService: string; url: string };

export function writeDiscovery(format: Open311Format, discovery: Discovery): Open311Document {
  const endpoint = {
    specification: 'http://wiki.open311.org/GeoReport_v2',
    url: discovery.url,
    changeset: discovery.changeset,
    type: 'production',
    formats: ['text/xml', 'application/json'],
  };
  const head = { changeset: discovery.changeset, contact: discovery.contact, key_service: discovery.keyService };
  return format === 'json'
    ? json({ ...head, endpoints: [endpoint] })
    : xml('discovery', { ...head, endpoints: { endpoint: { ...endpoint, formats: { format: endpoint.formats } } } });
}

export type ServiceEntry = { code: string; name: string; description: string; group?: string };

const serviceOf = (service: ServiceEntry) => ({
  service_code: service.code,
  service_name: service.name,
  description: service.description,
  metadata: false,
  type: 'realtime',
  keywords: '',
  group: service.group ?? '',
});

export const writeServices = (format: Open311Format, services: readonly ServiceEntry[]): Open311Document =>
  list(format, 'services', 'service', services.map(serviceOf));

/** A service without metadata: its code and no attributes. */
export const writeServiceDefinition = (format: Open311Format, code: string): Open311Document =>
  format === 'json' ? json({ service_code: code, attributes: [] }) : xml('service_definition', { service_code: code, attributes: '' });

/** What a post answers: the new request's id (no token: requests are recorded at once). */
export type PostedRequest = { serviceRequestId: string; serviceNotice: string; accountId?: string };

export const writePostedRequest = (format: Open311Format, posted: PostedRequest): Open311Document =>
  list(format, 'service_requests', 'request', [
    { service_request_id: posted.serviceRequestId, service_notice: posted.serviceNotice, account_id: posted.accountId ?? null },
  ]);

/** One request as `GET requests` shows it: never an address or media, a description only where the partnership allows. */
export type RequestEntry = {
  serviceRequestId: string;
  status: 'open' | 'closed';
  statusNotes: string;
  serviceName: string;
  serviceCode: string;
  description?: string;
  agencyResponsible: string;
  requestedAt: string;
  updatedAt: string;
  lat?: number;
  long?: number;
};

const requestOf = (request: RequestEntry): Record<string, Scalar> => ({
  service_request_id: request.serviceRequestId,
  status: request.status,
  status_notes: request.statusNotes,
  service_name: request.serviceName,
  service_code: request.serviceCode,
  description: request.description ?? null,
  agency_responsible: request.agencyResponsible,
  service_notice: null,
  requested_datetime: request.requestedAt,
  updated_datetime: request.updatedAt,
  expected_datetime: null,
  address: null,
  address_id: null,
  zipcode: null,
  lat: request.lat ?? null,
  long: request.long ?? null,
  media_url: null,
});

export const writeRequests = (format: Open311Format, requests: readonly RequestEntry[]): Open311Document =>
  list(format, 'service_requests', 'request', requests.map(requestOf));

/** One public status change, in FixMyStreet's extended statuses. */
export type UpdateEntry = { updateId: string; serviceRequestId: string; status: string; updatedAt: string; description: string };

export const writeUpdates = (format: Open311Format, updates: readonly UpdateEntry[]): Open311Document =>
  list(
    format,
    'service_request_updates',
    'request_update',
    updates.map((u) => ({ update_id: u.updateId, service_request_id: u.serviceRequestId, status: u.status, updated_datetime: u.updatedAt, description: u.description })),
  );
