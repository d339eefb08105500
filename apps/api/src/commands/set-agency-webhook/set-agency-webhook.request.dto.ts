import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SetAgencyWebhook } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { WEBHOOK_SECRET_LENGTH } from '../register-agency/register-agency.request.dto';
import { IsPartnershipCode, IsWebhookUrl, Optional } from '../request-validation';

/** `PUT /v1/agencies/:code/webhook`: `webhookUrl` is the command's `url`; the secret is kept outside the log. */
export class SetAgencyWebhookRequest implements CommandBody<SetAgencyWebhook, 'url', 'partnership'> {
  @IsWebhookUrl()
  webhookUrl!: string;

  @IsString()
  @MinLength(WEBHOOK_SECRET_LENGTH.min)
  @MaxLength(WEBHOOK_SECRET_LENGTH.max)
  webhookSecret!: string;

  /** The partnership whose deliveries go to this webhook: required when the admin holds several. */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
