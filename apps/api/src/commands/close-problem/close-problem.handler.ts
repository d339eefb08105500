import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { closeProblem, evolveAction, evolveProblem, initialActionState, initialProblemState, streamName, type ActionState } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, refusalOf, type CommandPlan, type CommandResult } from '@tasking/application';
import { CloseProblemCommand } from './close-problem.command';

/**
 * Reads the problem and the stream of every action agreed on it; appends ProblemClosed and, with
 * override, an ActionCancelled per open action, in ONE append expecting the revisions read. An
 * action agreed (or discharged, or cancelled) meanwhile conflicts, and the retry decides again.
 */
@CommandHandler(CloseProblemCommand)
export class CloseProblemHandler implements ICommandHandler<CloseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: CloseProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'CloseProblem', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const actions: ActionState[] = [];
      if (problem.status !== 'none') {
        for (const { actionId } of problem.agreedActions) {
          actions.push(await reader.load(streamName('action', actionId), evolveAction, initialActionState));
        }
      }
      const decision = closeProblem({
        problem,
        actions,
        command: {
          type: 'CloseProblem',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          outcome: body.outcome,
          assessment: body.assessment,
          displacement: body.displacement,
          diffusionOfBenefits: body.diffusionOfBenefits,
          override: body.override,
          overrideReason: body.overrideReason,
          closedAt: body.closedAt,
        },
      });
      if (!decision.ok) return refusalOf(decision.error);
      const plan: CommandPlan = {
        target: { id: problemId, stream },
        appends: [
          { stream, events: decision.events.problem },
          ...Object.entries(decision.events.actions).map(([actionId, events]) => ({ stream: streamName('action', actionId), events })),
        ],
      };
      return plan;
    });
  }
}
