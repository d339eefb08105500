import { IsIn, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { AGENCY_KINDS, type AgencyKind, type RegisterAgency } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsAgencyCode, IsPartnershipCode, IsWebhookUrl, LIMITS, Optional } from '../request-validation';

/** Long enough that the body hash kept for idempotency cannot be reversed by guessing. */
export const WEBHOOK_SECRET_LENGTH = { min: 32, max: 200 } as const;

/** `POST /v1/agencies`: `partnership` is the command's `webhookPartnership`; the secret is kept outside the log. */
export class RegisterAgencyRequest implements CommandBody<RegisterAgency, 'webhookPartnership'> {
  @IsAgencyCode()
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @IsIn(AGENCY_KINDS)
  kind!: AgencyKind;

  @Optional()
  @IsWebhookUrl()
  webhookUrl?: string;

  @Optional()
  @IsString()
  @MinLength(WEBHOOK_SECRET_LENGTH.min)
  @MaxLength(WEBHOOK_SECRET_LENGTH.max)
  webhookSecret?: string;

  /** The partnership the webhook serves: required with a webhook when the admin holds several. */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
