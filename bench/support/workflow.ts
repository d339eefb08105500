import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '@tasking/auth';
import { AssignActionCommand } from '../../apps/api/src/commands/assign-action/assign-action.command';
import { ClaimActionCommand } from '../../apps/api/src/commands/claim-action/claim-action.command';
import type { CommandContext, CommandResult } from '@tasking/application';
import { DischargeActionCommand } from '../../apps/api/src/commands/discharge-action/discharge-action.command';
import { RaiseProblemCommand } from '../../apps/api/src/commands/raise-problem/raise-problem.command';
import { DEMO_USERS, type DemoUser } from '../../apps/api/src/seed/demo-users';
import { PARTNERSHIP } from './app';

/**
 * The four commands of the benchmarks, as HTTP bodies (http) and as commands on the bus (lag),
 * against the demo seed's reference data: an inspector raises a problem in Market Parade and
 * assigns an action to the council ASB team, whose officer claims and discharges it.
 */
export type Step = 'raise' | 'assign' | 'claim' | 'discharge';
export const STEPS: readonly Step[] = ['raise', 'assign', 'claim', 'discharge'];

export const STEP_USER: Record<Step, DemoUser> = { raise: 'inspector', assign: 'inspector', claim: 'councilOfficer', discharge: 'councilOfficer' };

export const raiseBody = () => ({
  title: 'Youths gathering and intimidating shoppers, Market Parade',
  description: 'Reported repeatedly to the neighbourhood team and the council; groups gather outside the shops after 9pm.',
  category: 'asb-youth',
  location: { areaCode: 'market-parade', lat: 52.9552 + (Math.random() - 0.5) * 0.004, lng: -1.1498 + (Math.random() - 0.5) * 0.004 },
  source: 'community',
  groupCode: 'riverside-north',
  partnership: PARTNERSHIP,
});

export const assignBody = () => ({
  agency: 'COUNCIL-ASB',
  description: 'Warning letters to the persistent group members',
  tactic: { category: 'enforcement', name: 'warning letter' },
  dueBy: new Date(Date.now() + 14 * 86_400_000).toISOString(),
});

export const dischargeBody = () => ({ result: 'completed', note: 'Letters delivered; no further reports this week' });

const principal = (user: DemoUser): Principal => ({ ...DEMO_USERS[user], roles: [...DEMO_USERS[user].roles], partnerships: [PARTNERSHIP] });

/** Runs a step through the command bus as a request without Idempotency-Key would. */
export function commandSender(app: INestApplicationContext) {
  const bus = app.get(CommandBus);
  const context = (user: DemoUser): CommandContext => ({ principal: principal(user), now: new Date(), correlationId: randomUUID() });
  return {
    raise: (): Promise<CommandResult> => bus.execute(new RaiseProblemCommand(context('inspector'), raiseBody() as never)),
    assign: (problemId: string): Promise<CommandResult> => bus.execute(new AssignActionCommand(context('inspector'), problemId, assignBody() as never)),
    claim: (actionId: string): Promise<CommandResult> => bus.execute(new ClaimActionCommand(context('councilOfficer'), actionId)),
    discharge: (actionId: string): Promise<CommandResult> => bus.execute(new DischargeActionCommand(context('councilOfficer'), actionId, dischargeBody() as never)),
  };
}
