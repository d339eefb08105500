import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_GROUP_MEMBERS, type SetGroupMembers } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { StaffMemberRequest } from '../common.request.dto';
import { IsPartnershipCode, LIMITS, Optional } from '../request-validation';

export class GroupMemberRequest extends StaffMemberRequest {
  /** e.g. chair, secretary. */
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  role?: string;
}

/** `PUT /v1/groups/:code/members`: the whole list, replacing the earlier one. */
export class SetGroupMembersRequest implements CommandBody<SetGroupMembers> {
  @IsArray()
  @ArrayMaxSize(MAX_GROUP_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => GroupMemberRequest)
  members!: GroupMemberRequest[];

  /** The partnership whose group this is: required when the caller holds several. */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
