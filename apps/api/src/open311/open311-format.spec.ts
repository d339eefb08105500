import { XMLParser } from 'fast-xml-parser';
import {
  formatOfPath,
  writeDiscovery,
  writeErrors,
  writePostedRequest,
  writeRequests,
  writeServiceDefinition,
  writeServices,
  writeUpdates,
  type RequestEntry,
} from './open311-format';

const parser = new XMLParser({ isArray: (name) => ['service', 'request', 'error', 'request_update', 'format', 'endpoint'].includes(name), parseTagValue: false });
const parsed = (body: string): Record<string, unknown> => parser.parse(body) as Record<string, unknown>;
const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

const request: RequestEntry = {
  serviceRequestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  status: 'open',
  statusNotes: 'Received',
  serviceName: 'Fly tipping',
  serviceCode: 'fly-tipping',
  agencyResponsible: 'Safer Enfield',
  requestedAt: '2026-03-01T09:00:00Z',
  updatedAt: '2026-03-02T09:00:00Z',
  lat: 51.652,
  long: -0.082,
};

describe('Open311 documents', () => {
  it.each([
    ['/open311/v2/services.json', 'json'],
    ['/open311/v2/services.JSON?jurisdiction_id=x', 'json'],
    ['/open311/v2/services.xml', 'xml'],
    ['/open311/v2/services', 'xml'],
    ['/open311/v2/services.xml?x=.json', 'xml'],
  ])('%s is %s', (path, format) => {
    expect(formatOfPath(path)).toBe(format);
  });

  describe('errors', () => {
    it('in XML, escaped, with the declaration', () => {
      const doc = writeErrors('xml', [{ code: 400, description: 'service_code <b> & "quotes"' }]);
      expect(doc.contentType).toBe('text/xml; charset=utf-8');
      expect(doc.body.startsWith(DECLARATION)).toBe(true);
      expect(doc.body).toContain('<errors><error><code>400</code><description>service_code &lt;b&gt; &amp; &quot;quotes&quot;</description></error></errors>');
      expect(parsed(doc.body)).toEqual({ '?xml': '', errors: { error: [{ code: '400', description: 'service_code <b> & "quotes"' }] } });
    });

    it('in JSON, a list of code and description', () => {
      const doc = writeErrors('json', [{ code: 403, description: 'no' }, { code: 400, description: 'bad' }]);
      expect(doc.contentType).toBe('application/json; charset=utf-8');
      expect(JSON.parse(doc.body)).toEqual([{ code: 403, description: 'no' }, { code: 400, description: 'bad' }]);
    });
  });

  it('discovery lists the endpoint and both formats', () => {
    const discovery = { changeset: '2026-03-01T00:00:00Z', contact: 'ops@example.org', keyService: 'Ask the partnership', url: 'https://ledger.example/open311/v2' };
    const x = parsed(writeDiscovery('xml', discovery).body) as { discovery: { endpoints: { endpoint: { url: string; formats: { format: string[] } }[] }; contact: string } };
    expect(x.discovery.contact).toBe('ops@example.org');
    expect(x.discovery.endpoints.endpoint[0]!.url).toBe('https://ledger.example/open311/v2');
    expect(x.discovery.endpoints.endpoint[0]!.formats.format).toEqual(['text/xml', 'application/json']);
    const j = JSON.parse(writeDiscovery('json', discovery).body);
    expect(j).toMatchObject({ contact: 'ops@example.org', key_service: 'Ask the partnership', endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] }] });
  });

  it('services: code, name, description, no metadata, realtime', () => {
    const services = [{ code: 'fly-tipping', name: 'Fly tipping', description: 'Dumped rubbish' }, { code: 'noise', name: 'Noise', description: 'Noise' }];
    expect(JSON.parse(writeServices('json', services).body)).toEqual([
      { service_code: 'fly-tipping', service_name: 'Fly tipping', description: 'Dumped rubbish', metadata: false, type: 'realtime', keywords: '', group: '' },
      { service_code: 'noise', service_name: 'Noise', description: 'Noise', metadata: false, type: 'realtime', keywords: '', group: '' },
    ]);
    const x = parsed(writeServices('xml', services).body) as { services: { service: Record<string, string>[] } };
    expect(x.services.service.map((s) => [s['service_code'], s['metadata'], s['type']])).toEqual([
      ['fly-tipping', 'false', 'realtime'],
      ['noise', 'false', 'realtime'],
    ]);
  });

  it('an empty list is an empty root element, or []', () => {
    expect(writeServices('xml', []).body).toBe(`${DECLARATION}<services></services>`);
    expect(writeRequests('json', []).body).toBe('[]');
  });

  it('a service definition has no attributes', () => {
    expect(writeServiceDefinition('xml', 'noise').body).toBe(`${DECLARATION}<service_definition><service_code>noise</service_code><attributes></attributes></service_definition>`);
    expect(JSON.parse(writeServiceDefinition('json', 'noise').body)).toEqual({ service_code: 'noise', attributes: [] });
  });

  it('a post answers the request id, notice and account id', () => {
    const posted = { serviceRequestId: request.serviceRequestId, serviceNotice: 'Thank you', accountId: 'acc-1' };
    const x = parsed(writePostedRequest('xml', posted).body) as { service_requests: { request: Record<string, string>[] } };
    expect(x.service_requests.request).toEqual([{ service_request_id: request.serviceRequestId, service_notice: 'Thank you', account_id: 'acc-1' }]);
    expect(JSON.parse(writePostedRequest('json', { ...posted, accountId: undefined }).body)).toEqual([
      { service_request_id: request.serviceRequestId, service_notice: 'Thank you', account_id: null },
    ]);
  });

  it('requests carry every field of the specification, with address and media always empty', () => {
    const [entry] = JSON.parse(writeRequests('json', [{ ...request, description: 'Bags' }]).body) as Record<string, unknown>[];
    expect(Object.keys(entry!).sort()).toEqual(
      [
        'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
        'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
      ].sort(),
    );
    expect(entry).toMatchObject({ status: 'open', description: 'Bags', address: null, media_url: null, lat: 51.652, long: -0.082 });
    const x = parsed(writeRequests('xml', [request]).body) as { service_requests: { request: Record<string, string>[] } };
    expect(x.service_requests.request[0]).toMatchObject({ service_request_id: request.serviceRequestId, lat: '51.652', long: '-0.082', address: '', description: '' });
  });

  it('leaves out characters XML cannot hold', () => {
    const body = writeRequests('xml', [{ ...request, description: 'bell\u0007 and form\u000c feed' }]).body;
    expect(body).toContain('<description>bell and form feed</description>');
  });

  it('updates in FixMyStreet’s shape', () => {
    const update = { updateId: 'u-1', serviceRequestId: request.serviceRequestId, status: 'IN_PROGRESS', updatedAt: '2026-03-03T10:00:00Z', description: 'Agreed' };
    const x = parsed(writeUpdates('xml', [update]).body) as { service_request_updates: { request_update: Record<string, string>[] } };
    expect(x.service_request_updates.request_update).toEqual([
      { update_id: 'u-1', service_request_id: request.serviceRequestId, status: 'IN_PROGRESS', updated_datetime: '2026-03-03T10:00:00Z', description: 'Agreed' },
    ]);
    expect(JSON.parse(writeUpdates('json', [update]).body)).toEqual([
      { update_id: 'u-1', service_request_id: request.serviceRequestId, status: 'IN_PROGRESS', updated_datetime: '2026-03-03T10:00:00Z', description: 'Agreed' },
    ]);
  });
});
