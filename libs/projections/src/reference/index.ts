import type { ReadModelModule } from '../read-model-schema';
import { ReferenceData1764000000100 } from '../migrations/1764000000100-reference-data';
import { AgencyEntity, AreaEntity, TaskingGroupEntity } from './reference.entities';
import { referenceDataProjection } from './reference.projection';

export const referenceReadModel: ReadModelModule = {
  name: 'reference-data',
  entities: [AgencyEntity, TaskingGroupEntity, AreaEntity],
  migrations: [ReferenceData1764000000100],
  projections: [referenceDataProjection],
};

export { AgencyEntity, AreaEntity, TaskingGroupEntity, referenceDataProjection };
