import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { CLOCK, type Clock } from '@tasking/shared';
import { commandContext } from '../http/command-context';
import type { CommandContext } from '@tasking/application';

/** What every command controller does: the request's context (who, when, headers), then the bus. */
@Injectable()
export abstract class CommandController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  protected send<R>(request: FastifyRequest, build: (context: CommandContext) => Command<R>): Promise<R> {
    return this.commandBus.execute(build(commandContext(request, this.clock)));
  }
}
