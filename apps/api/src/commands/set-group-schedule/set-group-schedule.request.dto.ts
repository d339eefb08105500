import { IsInt, Matches, Max, Min } from 'class-validator';
import { MAX_EVERY_DAYS, type SetGroupSchedule } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsPartnershipCode, Optional } from '../request-validation';

/** `PUT /v1/groups/:code/schedule` */
export class SetGroupScheduleRequest implements CommandBody<SetGroupSchedule> {
  /** Fortnightly when absent. */
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_EVERY_DAYS)
  everyDays?: number;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date, YYYY-MM-DD' })
  from!: string;

  @Optional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be HH:MM' })
  time?: string;

  /** The partnership whose group this is: required when the caller holds several. */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
