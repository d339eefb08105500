import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { isPosition } from '@tasking/event-store';
import { ApiError } from '@tasking/shared';
import type { ProjectionRunner } from '@tasking/projections';
import { CONFIG, PROJECTIONS } from '@tasking/runtime';
import type { Config } from '@tasking/shared';

const READS_PROJECTIONS = 'tasking:reads-projections';

/**
 * Read-your-writes for query routes. Put `@ReadsProjections('problems', ...)` on a controller or
 * a route, naming the projections it reads (no names: all of them). Then:
 *  - a request with `X-Min-Position: <position>` (from a command's response) waits, up to
 *    READ_YOUR_WRITES_TIMEOUT_MS, until those projections have applied the log up to it, and
 *    gets `503 NOT_CAUGHT_UP` with `Retry-After: 1` if they have not;
 *  - every response carries `X-Projection-Position`: the lowest checkpoint of those projections,
 *    i.e. the data is at least that fresh.
 * Analytics routes use it the same way: `@ReadsProjections('hotspots')` on the controller.
 */
export const ReadsProjections = (...projections: string[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(READS_PROJECTIONS, projections), UseInterceptors(ProjectionPositionInterceptor));

@Injectable()
export class ProjectionPositionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const named = this.reflector.getAllAndOverride<string[] | undefined>(READS_PROJECTIONS, [context.getHandler(), context.getClass()]);
    const { projections, config } = this;
    const names = named && named.length > 0 ? named : projections.names;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const raw = request.headers['x-min-position'];
    const minimum = Array.isArray(raw) ? raw[0] : raw;
    if (minimum !== undefined && minimum !== '') {
      if (!isPosition(minimum)) {
        throw new ApiError('VALIDATION_FAILED', 'X-Min-Position must be a position from a command response', [
          { field: 'X-Min-Position', message: 'not a position' },
        ]);
      }
      if (!(await projections.waitFor(minimum, config.readYourWritesTimeoutMs, names))) {
        throw new ApiError('NOT_CAUGHT_UP', `the read models have not reached position ${minimum} yet; try again`, undefined, {
          'retry-after': '1',
        });
      }
    }
    void http.getResponse<FastifyReply>().header('x-projection-position', await projections.positionOf(names));
    return next.handle();
  }
}
