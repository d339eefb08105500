import { IsString, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_SECRET_LENGTH } from '../register-agency/register-agency.request.dto';
import { IsWebhookUrl } from '../request-validation';

/** `PUT /v1/agencies/:code/webhook` */
export class SetAgencyWebhookRequest {
  @IsWebhookUrl()
  webhookUrl!: string;

  @IsString()
  @MinLength(WEBHOOK_SECRET_LENGTH.min)
  @MaxLength(WEBHOOK_SECRET_LENGTH.max)
  webhookSecret!: string;
}
