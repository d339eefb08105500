import { Module } from '@nestjs/common';
import { CommandRunner } from './command-runner';

/** Every command route: controllers, DTOs and handlers, one folder per use case. */
@Module({
  providers: [CommandRunner],
  exports: [CommandRunner],
})
export class CommandsModule {}
