import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  decideProblem,
  evolveArea,
  evolveProblem,
  evolveReferenceCounter,
  initialAreaState,
  initialProblemState,
  initialReferenceCounter,
  issueReference,
  referenceCounterStream,
  referencePrefix,
  referenceYear,
  streamName,
} from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, newIdFor, nowOf, partnershipOf, refusalOf, type CommandResult } from '@tasking/application';
import { RaiseProblemCommand } from './raise-problem.command';

/**
 * ProblemRaised to the new problem's stream and ReferenceIssued to the partnership's counter for
 * the year, in ONE append that expects the counter at the revision read: a concurrent raise that
 * took the same number makes it conflict, and the retry reads the next one (libs/domain,
 * problem/reference.ts).
 */
@CommandHandler(RaiseProblemCommand)
export class RaiseProblemHandler implements ICommandHandler<RaiseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, body }: RaiseProblemCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const problemId = newIdFor(context, 'problem');
    const stream = streamName('problem', problemId);
    const now = nowOf(context);
    const year = referenceYear(now);
    const counterStream = referenceCounterStream(partnership, year);
    return this.runner.run(context, { name: 'RaiseProblem', contended: true }, async (reader) => {
      await reader.prefetch([
        streamName('area', body.location.areaCode),
        ...(body.groupCode === undefined ? [] : groupStreams(partnership, body.groupCode)),
        stream,
        counterStream,
      ]);
      const counter = await reader.load(counterStream, evolveReferenceCounter, initialReferenceCounter);
      const { reference, issued } = issueReference({ prefix: referencePrefix(partnership, this.runner.referencePrefixOf(partnership)), year, counter, problemId });
      const area = await reader.load(streamName('area', body.location.areaCode), evolveArea, initialAreaState);
      const group = body.groupCode === undefined ? undefined : await loadGroup(reader, partnership, body.groupCode);
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem(
        {
          type: 'RaiseProblem',
          actor: actorOf(context),
          now,
          timeZone: this.runner.timeZone,
          problemId,
          partnership,
          title: body.title,
          description: body.description,
          category: body.category,
          location: body.location,
          priority: body.priority,
          source: body.source,
          groupCode: body.groupCode,
          raisedAt: body.raisedAt,
          reference,
          area,
          group,
        },
        problem,
      );
      if (!decision.ok) return refusalOf(decision.error);
      return {
        target: { id: problemId, stream },
        appends: [
          { stream, events: decision.events },
          { stream: counterStream, events: decision.events.length > 0 ? [issued] : [], counter: true },
        ],
      };
    });
  }
}
