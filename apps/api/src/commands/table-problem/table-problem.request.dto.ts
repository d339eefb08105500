import { IsUuidString } from '../request-validation';

/** `POST /v1/meetings/:id/problems` */
export class TableProblemRequest {
  @IsUuidString()
  problemId!: string;
}
