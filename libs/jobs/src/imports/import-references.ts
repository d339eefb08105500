import { asDomainEvent, evolveSource, initialSourceState, sourceStreamName, type SourceEvent, type SourceState } from '@tasking/domain';
import type { EventStore } from '@tasking/event-store';
import { PartnershipAreasHandler, PartnershipAreasQuery, type ReadModels } from '@tasking/projections';
import type { ImportReferences } from './import-run';

/**
 * What an import reads of its partnership: the source from its stream in the log (what was
 * registered, even a moment ago), the areas from the reference read model (LSOA codes and
 * boundaries, prepared once per list while no area changes).
 */
export function importReferences(store: EventStore, readModels: ReadModels): ImportReferences {
  const areas = new PartnershipAreasHandler(readModels);
  return {
    areasOf: async (partnership) => [...(await areas.execute(new PartnershipAreasQuery(partnership)))],
    sourceOf: async (partnership, code) => {
      let state: SourceState = initialSourceState;
      for (const recorded of await store.read(sourceStreamName(partnership, code))) {
        const event = asDomainEvent(recorded) as SourceEvent | undefined;
        if (event) state = evolveSource(state, event);
      }
      return state.status === 'registered' ? { triage: state.triage, categoryMap: state.categoryMap } : undefined;
    },
  };
}
