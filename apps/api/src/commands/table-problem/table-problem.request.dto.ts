import type { TableProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsUuidString } from '../request-validation';

/** `POST /v1/meetings/:id/problems`: the command has no field of its own; `problemId` names the problem tabled. */
export class TableProblemRequest implements CommandBody<TableProblem> {
  @IsUuidString()
  problemId!: string;
}
