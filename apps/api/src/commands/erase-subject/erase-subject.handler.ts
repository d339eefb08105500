import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveProblem, initialProblemState, streamName } from '@tasking/domain';
import { PERSONAL_DATA } from '@tasking/runtime';
import { CommandRunner, actorOf, nowOf, planOf } from '@tasking/application';
import type { PersonalData } from '@tasking/personal-data';
import type { SubjectResult } from '../add-subject/add-subject.command';
import { EraseSubjectCommand } from './erase-subject.command';

/**
 * SubjectErased to the problem's stream; appending it destroys the subject's data key (the
 * encrypting store does it after the append commits). The key is destroyed here again, whatever
 * the decision: a retry of an erasure whose append committed but whose key survived (a crash in
 * between) finds the subject erased, decides nothing, and still finishes the job.
 */
@CommandHandler(EraseSubjectCommand)
export class EraseSubjectHandler implements ICommandHandler<EraseSubjectCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalData,
  ) {}

  async execute({ context, problemId, subjectId, body }: EraseSubjectCommand): Promise<SubjectResult> {
    const stream = streamName('problem', problemId);
    const result = await this.runner.run(context, { name: 'EraseSubject', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem({ type: 'EraseSubject', actor: actorOf(context), now: nowOf(context), subjectId, reason: body.reason }, problem);
      return planOf(decision, { id: problemId, stream });
    });
    await this.personalData.keys.eraseSubject(subjectId);
    return { ...result, subjectId };
  }
}
