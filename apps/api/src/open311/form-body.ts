import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { isOpen311Path } from './open311-errors';

/**
 * Form-encoded fields as one object; a key sent twice becomes a list, which the Open311 reader
 * refuses (`readServiceRequest`). `__proto__` and the like are plain keys of a prototype-less object.
 */
export function formFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(body)) {
    const earlier = fields[key];
    fields[key] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return fields;
}

/**
 * `application/x-www-form-urlencoded` bodies, as FixMyStreet posts them, on the Open311 routes only:
 * this replaces the adapter's own form parser, so every other route answers 415 for them.
 */
export function registerOpen311FormBodies(app: NestFastifyApplication): void {
  app.useBodyParser('application/x-www-form-urlencoded', {}, (request, body, done) => {
    if (!isOpen311Path(request.url)) {
      done(Object.assign(new Error('send the body as application/json'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
      return;
    }
    done(null, formFields(body.toString('utf8')));
  });
}
