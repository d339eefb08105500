import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveAction, evolveProblem, initialActionState, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner } from '../command-runner';
import { actorOf, newIdFor, nowOf, planOf } from '../command-support';
import { AddSubjectCommand, type SubjectResult } from './add-subject.command';

/**
 * SubjectAdded to the problem's stream. The decider needs the agencies holding the problem's
 * actions now (officers of those agencies may add subjects): read from the action streams.
 */
@CommandHandler(AddSubjectCommand)
export class AddSubjectHandler implements ICommandHandler<AddSubjectCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, problemId, input }: AddSubjectCommand): Promise<SubjectResult> {
    const stream = streamName('problem', problemId);
    // Derived from the Idempotency-Key when there is one, so a replayed answer names the same subject.
    const subjectId = newIdFor(context, 'subject');
    const result = await this.runner.run(context, { name: 'AddSubject', roles: ['inspector', 'officer'], targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const actionAgencies = new Set<string>();
      if (problem.status !== 'none') {
        for (const { actionId } of problem.agreedActions) {
          const action = await reader.load(streamName('action', actionId), evolveAction, initialActionState);
          if (action.status !== 'none') actionAgencies.add(action.agency);
        }
      }
      const decision = decideProblem(
        {
          type: 'AddSubject',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          subjectId,
          role: input.role,
          name: input.name,
          dateOfBirth: input.dateOfBirth,
          address: input.address,
          notes: input.notes,
          actionAgencies: [...actionAgencies],
        },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
    return { ...result, subjectId };
  }
}
