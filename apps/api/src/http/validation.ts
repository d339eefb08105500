import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, type FieldError } from '@tasking/shared';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ') ? `unknown field ${field}` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Rejects a string holding U+0000 anywhere in the body, at any depth. */
function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 32) return path;
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = findNul(inner, path ? `${path}.${key}` : key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ApiError('VALIDATION_FAILED', 'the request is not valid', flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: Parameters<ValidationPipe['transform']>[1]): Promise<unknown> {
    if (metadata.type === 'body') {
      if (metadata.metatype && metadata.metatype !== Object && (value === null || typeof value !== 'object' || Array.isArray(value))) {
        throw new ApiError('VALIDATION_FAILED', 'the body must be a JSON object');
      }
      const nul = findNul(value, '');
      if (nul) throw new ApiError('VALIDATION_FAILED', 'strings may not contain U+0000', [{ field: nul, message: 'contains U+0000' }]);
    }
    return super.transform(value, metadata);
  }
}
