import type { MarkIncidentDuplicate } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsUuidString } from '../request-validation';

/** `POST /v1/incidents/:id/duplicate`: `of` names the incident it repeats. */
export class MarkIncidentDuplicateRequest implements CommandBody<MarkIncidentDuplicate, 'original'> {
  @IsUuidString()
  of!: string;
}
