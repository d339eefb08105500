import { Module } from '@nestjs/common';
import { Open311Access } from './open311-access';
import { Open311Controller } from './open311.controller';

/** The Open311 GeoReport v2 routes under /open311/v2 (evidence.md, "Open311"). */
@Module({
  controllers: [Open311Controller],
  providers: [Open311Access],
})
export class Open311Module {}
