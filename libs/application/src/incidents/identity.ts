import type { IncidentLocation, IncidentRecorded } from '@tasking/domain';
import { canonicalJson, sha256Hex, uuidV5 } from '@tasking/shared';

/** Namespace of incident ids (UUID v5): fixed, so an incident's id never changes between releases. */
export const INCIDENT_NAMESPACE = '3d0b6f52-8c1e-5a47-9f2d-7b4e1c6a8d35';

/**
 * An incident's id: UUID v5 over (partnership, source, externalId), so the same record posted or
 * imported twice is one incident (evidence.md, "Incidents"). The three parts are hashed as a JSON
 * array, so no choice of characters in one part can make two different triples collide.
 */
export const incidentIdOf = (partnership: string, source: string, externalId: string): string =>
  uuidV5(JSON.stringify([partnership, source, externalId]), INCIDENT_NAMESPACE);

/** The mapped fields of an incident that its content hash covers. */
export type IncidentContent = Pick<IncidentRecorded['data'], 'category' | 'sourceCategory' | 'occurredAt' | 'occurredPrecision' | 'outcome' | 'context' | 'description'> & {
  location: IncidentLocation;
};

/**
 * SHA-256 (hex) of the mapped fields as canonical JSON (keys sorted at every depth, undefined
 * dropped): a re-import with the same hash is unchanged, a different hash an update.
 */
export function contentHashOf(fields: IncidentContent): string {
  const { category, sourceCategory, occurredAt, occurredPrecision, outcome, context, description } = fields;
  const { lat, lng, lsoaCode, address, areaCode } = fields.location;
  return sha256Hex(
    canonicalJson({ category, sourceCategory, occurredAt, occurredPrecision, location: { lat, lng, lsoaCode, address, areaCode }, outcome, context, description }),
  );
}
