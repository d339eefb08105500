import { Module } from '@nestjs/common';
import { CommandRunner } from '@tasking/application';
import { Open311Access } from './open311-access';
import { Open311Reports } from './open311-reports';
import { Open311Controller } from './open311.controller';

/** The Open311 GeoReport v2 routes under /open311/v2 (evidence.md, "Open311"). */
@Module({
  controllers: [Open311Controller],
  providers: [CommandRunner, Open311Access, Open311Reports],
})
export class Open311Module {}
