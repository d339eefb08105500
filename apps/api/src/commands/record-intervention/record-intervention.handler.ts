import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, newIdFor, nowOf, planOf } from '@tasking/application';
import { RecordInterventionCommand, type RecordInterventionResult } from './record-intervention.command';

@CommandHandler(RecordInterventionCommand)
export class RecordInterventionHandler implements ICommandHandler<RecordInterventionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, actionId, body }: RecordInterventionCommand): Promise<RecordInterventionResult> {
    const stream = streamName('action', actionId);
    // Derived from the Idempotency-Key when there is one, so a replayed answer names the same intervention.
    const interventionId = newIdFor(context, 'intervention');
    const result = await this.runner.run(context, { name: 'RecordIntervention', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction(
        {
          type: 'RecordIntervention',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          interventionId,
          tactic: body.tactic,
          description: body.description,
          occurredAt: body.occurredAt,
        },
        action,
      );
      return planOf(decision, { id: actionId, stream });
    });
    return { ...result, interventionId };
  }
}
