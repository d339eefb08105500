import { readServiceRequest } from './service-request-post';

const form = {
  api_key: '0123456789abcdef0123456789abcdef',
  jurisdiction_id: 'enfield',
  service_code: 'fly-tipping',
  lat: '51.652345',
  long: '-0.081234',
  description: 'Bags dumped behind the parade',
  email: 'sam@example.org',
  first_name: 'Sam',
  last_name: 'Reporter',
  phone: '020 7946 0000',
  media_url: 'https://fms.example/photo/1.jpeg',
  'attribute[fixmystreet_id]': '4321',
  'attribute[title]': 'Dumped bags',
  unknown_parameter: 'ignored',
};

describe('reading a POST requests body', () => {
  it('reads a form-encoded post as FixMyStreet sends it', () => {
    expect(readServiceRequest(form)).toEqual({
      ok: true,
      request: {
        apiKey: form.api_key,
        jurisdictionId: 'enfield',
        serviceCode: 'fly-tipping',
        lat: 51.652345,
        long: -0.081234,
        description: 'Bags dumped behind the parade',
        email: 'sam@example.org',
        firstName: 'Sam',
        lastName: 'Reporter',
        phone: '020 7946 0000',
        mediaUrl: 'https://fms.example/photo/1.jpeg',
        attributes: [
          { name: 'fixmystreet_id', value: '4321' },
          { name: 'title', value: 'Dumped bags' },
        ],
      },
    });
  });

  it('reads JSON with numbers and an attribute object', () => {
    const read = readServiceRequest({ api_key: form.api_key, service_code: 'noise', lat: 51.6, long: -0.08, attribute: { flat: '3B' }, device_id: 'd-1', account_id: 'a-1' });
    expect(read).toEqual({
      ok: true,
      request: { apiKey: form.api_key, serviceCode: 'noise', lat: 51.6, long: -0.08, deviceId: 'd-1', accountId: 'a-1', attributes: [{ name: 'flat', value: '3B' }] },
    });
  });

  it('takes an address instead of coordinates', () => {
    const read = readServiceRequest({ service_code: 'graffiti', address_string: '1 High Street' });
    expect(read).toEqual({ ok: true, request: { serviceCode: 'graffiti', addressString: '1 High Street', attributes: [] } });
  });

  it.each([
    [{ ...form, service_code: undefined }, 'service_code is required'],
    [{ service_code: 'noise' }, 'give lat and long, or address_string'],
    [{ ...form, long: undefined }, 'lat and long must be given together'],
    [{ ...form, lat: '91' }, 'lat must be a number from -90 to 90'],
    [{ ...form, long: '1e2' }, 'long must be a number from -180 to 180'],
    [{ ...form, description: 'x'.repeat(5001) }, 'description must be at most 5000 characters'],
    [{ ...form, email: ['a@example.org', 'b@example.org'] }, 'email must be given once, as text'],
    [{ ...form, 'attribute[bad name]': 'x' }, 'attribute names must be 1 to 100 letters, digits, ".", "-" or "_"'],
    [{ ...form, first_name: 'Sam\u0000' }, 'first_name must not contain U+0000'],
  ])('refuses %p: %s', (body, description) => {
    const read = readServiceRequest(body);
    expect(read.ok).toBe(false);
    expect(read.ok ? [] : read.errors).toContainEqual({ code: 400, description });
  });

  it('lists every fault at once', () => {
    const read = readServiceRequest({ lat: 'north' });
    expect(read.ok ? [] : read.errors.map((e) => e.description)).toEqual(['service_code is required', 'lat must be a number from -90 to 90']);
  });

  it('refuses more than 50 attributes', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`attribute[a${i}]`, 'v']));
    const read = readServiceRequest({ ...form, ...many });
    expect(read.ok ? [] : read.errors).toContainEqual({ code: 400, description: 'at most 50 attributes' });
  });

  it.each([null, 'text', ['a']])('refuses a body that is not an object: %p', (body) => {
    expect(readServiceRequest(body).ok).toBe(false);
  });
});
