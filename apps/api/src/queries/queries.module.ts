import { Module } from '@nestjs/common';

/** Query routes over the core read models: problems, actions, meetings, history, admin projections. */
@Module({})
export class QueriesModule {}
