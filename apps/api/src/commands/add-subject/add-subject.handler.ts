import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveProblem, initialProblemState, streamName } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { agenciesGivenAccessByActions } from '@tasking/personal-data';
import { CommandRunner, actorOf, newIdFor, nowOf, planOf } from '@tasking/application';
import { AddSubjectCommand, type SubjectResult } from './add-subject.command';

/**
 * SubjectAdded to the problem's stream. The decider needs the agencies the problem's actions give
 * access to its subjects (officers of those agencies may add subjects): read from the action streams.
 */
@CommandHandler(AddSubjectCommand)
export class AddSubjectHandler implements ICommandHandler<AddSubjectCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, problemId, body }: AddSubjectCommand): Promise<SubjectResult> {
    const stream = streamName('problem', problemId);
    // Derived from the Idempotency-Key when there is one, so a replayed answer names the same subject.
    const subjectId = newIdFor(context, 'subject');
    const result = await this.runner.run(context, { name: 'AddSubject', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const actionEvents: RecordedEvent[] = [];
      if (problem.status !== 'none') {
        for (const { actionId } of problem.agreedActions) actionEvents.push(...(await reader.events(streamName('action', actionId))));
      }
      const decision = decideProblem(
        {
          type: 'AddSubject',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          subjectId,
          role: body.role,
          name: body.name,
          dateOfBirth: body.dateOfBirth,
          address: body.address,
          notes: body.notes,
          actionAgencies: agenciesGivenAccessByActions(actionEvents),
        },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
    return { ...result, subjectId };
  }
}
