import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { RegisterGroup } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsPartnershipCode, IsPlaceCode, LIMITS, Optional } from '../request-validation';

/** `POST /v1/groups` */
export class RegisterGroupRequest implements CommandBody<RegisterGroup, 'areas', 'partnership'> {
  @IsPlaceCode()
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  @IsArray()
  @ArrayMaxSize(200)
  @IsPlaceCode({ each: true })
  areaCodes!: string[];
}
