import type { FastifyReply } from 'fastify';
import type { FieldError } from '@tasking/shared';
import { formatOfPath, writeErrors, type Open311Error } from './open311-format';

/** The Open311 routes answer every error in the specification's format, whoever raised it. */
export const OPEN311_PREFIX = '/open311/v2';

export const isOpen311Path = (url: string | undefined): boolean => {
  const path = (url ?? '').split('?')[0]!;
  return path === OPEN311_PREFIX || path.startsWith(`${OPEN311_PREFIX}/`) || path.startsWith(`${OPEN311_PREFIX}.`);
};

/** One error per field at fault, else the one description; the code is the HTTP status. */
export const open311ErrorsOf = (status: number, detail: string, errors: readonly FieldError[] | undefined): Open311Error[] =>
  errors !== undefined && errors.length > 0 ? errors.map((error) => ({ code: status, description: error.message })) : [{ code: status, description: detail }];

export function sendOpen311Error(reply: FastifyReply, url: string, status: number, detail: string, errors?: readonly FieldError[]): void {
  const document = writeErrors(formatOfPath(url), open311ErrorsOf(status, detail, errors));
  void reply.status(status).type(document.contentType).send(document.body);
}
