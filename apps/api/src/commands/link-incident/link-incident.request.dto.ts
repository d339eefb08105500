import type { LinkIncident } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsUuidString } from '../request-validation';

/** `POST /v1/incidents/:id/link` */
export class LinkIncidentRequest implements CommandBody<LinkIncident, 'problem'> {
  @IsUuidString()
  problemId!: string;
}
