import type { ReadModelModule } from '../read-model-schema';
import { Open3111764000008400 } from '../migrations/1764000008400-open311';
import { open311RequestsProjection } from './open311-requests.projection';
import { open311SettingsProjection } from './open311-settings.projection';

export const open311ReadModel: ReadModelModule = {
  name: 'open311',
  entities: [],
  migrations: [Open3111764000008400],
  projections: [open311SettingsProjection, open311RequestsProjection],
};

export { open311RequestsProjection, open311SettingsProjection };
export { clientOfExternalId } from './open311-requests.projection';
export {
  Open311ClientsByPrefixHandler,
  Open311ClientsByPrefixQuery,
  Open311RequestsHandler,
  Open311RequestsQuery,
  Open311UpdatesHandler,
  Open311UpdatesQuery,
  PartnershipSettingsHandler,
  PartnershipSettingsQuery,
  PartnershipsByJurisdictionHandler,
  PartnershipsByJurisdictionQuery,
} from './open311.queries';
export type { Open311RequestFilters, Open311UpdateRow } from './open311.queries';
export type { Open311RequestRow } from './open311-requests.projection';
export type { Open311ClientRow, PartnershipSettingsRow } from './open311-settings.projection';
