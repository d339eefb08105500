import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { RecordIntervention } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { TacticRequest } from '../common.request.dto';
import { IsIsoTime, LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/interventions` */
export class RecordInterventionRequest implements CommandBody<RecordIntervention, 'interventionId'> {
  @IsObject()
  @ValidateNested()
  @Type(() => TacticRequest)
  tactic!: TacticRequest;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  description!: string;

  @IsIsoTime()
  occurredAt!: string;
}
