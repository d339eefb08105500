import { formFields } from './form-body';
import { readServiceRequest } from './service-request-post';

describe('form-encoded Open311 bodies', () => {
  it('decodes fields as FixMyStreet encodes them, attribute keys included', () => {
    expect({ ...formFields('service_code=fly-tipping&description=Six+bags+%26+a+mattress&attribute%5Bfixmystreet_id%5D=4321') }).toEqual({
      service_code: 'fly-tipping',
      description: 'Six bags & a mattress',
      'attribute[fixmystreet_id]': '4321',
    });
  });

  it('keeps a repeated field as a list, which the reader refuses', () => {
    const fields = formFields('service_code=noise&email=a%40example.org&email=b%40example.org&address_string=x');
    expect(fields['email']).toEqual(['a@example.org', 'b@example.org']);
    const read = readServiceRequest(fields);
    expect(read.ok ? [] : read.errors).toEqual([{ code: 400, description: 'email must be given once, as text' }]);
  });

  it('takes __proto__ as a plain field', () => {
    const fields = formFields('__proto__=x&service_code=noise');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(fields['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
