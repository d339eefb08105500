import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { ReviewProblemCommand } from './review-problem.command';
import { ReviewProblemRequest } from './review-problem.request.dto';

@Controller()
export class ReviewProblemController extends CommandController {
  /** 201; the answer names the problem and its revision. */
  @CommandRoute('ReviewProblem')
  review(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: ReviewProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ReviewProblemCommand(context, id, body));
  }
}
