import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAgency, evolveAgency, initialAgencyState, streamName, type AgencyState } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { CONFIG, READ_MODELS } from '@tasking/runtime';
import type { ReadModels } from '@tasking/projections';
import type { Config } from '@tasking/shared';
import { DeactivateAgencyCommand } from './deactivate-agency.command';

/**
 * Agencies are shared by partnerships: the decider needs every partnership the agency serves,
 * which are those where it has a webhook (one set before webhooks were per partnership serves the
 * default partnership), holds or held an action, or raised a problem (the read models).
 */
@CommandHandler(DeactivateAgencyCommand)
export class DeactivateAgencyHandler implements ICommandHandler<DeactivateAgencyCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  execute({ context, agencyCode, body }: DeactivateAgencyCommand): Promise<CommandResult> {
    const stream = streamName('agency', agencyCode);
    return this.runner.run(context, { name: 'DeactivateAgency', targetStream: stream }, async (reader) => {
      const agency = await reader.load(stream, evolveAgency, initialAgencyState);
      const servedPartnerships = await this.servedPartnerships(agencyCode, agency);
      const decision = decideAgency(
        { type: 'DeactivateAgency', actor: actorOf(context), now: nowOf(context), reason: body.reason, servedPartnerships },
        agency,
      );
      return planOf(decision, { id: agencyCode, stream });
    });
  }

  private async servedPartnerships(agencyCode: string, agency: AgencyState): Promise<string[]> {
    if (agency.status === 'none') return [];
    const rows: { partnership: string }[] = await this.readModels.dataSource.query(
      `SELECT partnership FROM actions WHERE agency = $1 UNION SELECT partnership FROM problems WHERE raised_by_agency = $1`,
      [agencyCode],
    );
    return [
      ...new Set([
        ...rows.map((row) => row.partnership),
        ...Object.keys(agency.webhooks ?? {}),
        ...(agency.webhookUrl === undefined ? [] : [this.config.defaultPartnership]),
      ]),
    ];
  }
}
