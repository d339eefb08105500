import { unknownEvent } from '../event';
import type { CategoryMap, SourceEvent, SourceKind } from './source.events';

export type NoSource = { status: 'none'; revision: number };

export type RegisteredSource = {
  status: 'registered';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  partnership: string;
  name: string;
  kind: SourceKind;
  triage: boolean;
  categoryMap: CategoryMap;
};

export type SourceState = NoSource | RegisteredSource;

export const initialSourceState: SourceState = { status: 'none', revision: -1 };

/** Codes are per partnership, and partnership codes may hold dashes: a dot separates the two. */
export const sourceStreamName = (partnership: string, code: string): string => `source-${partnership}.${code}`;

/** The source every partnership has without registering it: Open311 reports (evidence.md, "Open311"). */
export const OPEN311_SOURCE = { code: 'open311', name: 'Open311 reports', kind: 'community', triage: true } as const;

export function evolveSource(state: SourceState, event: SourceEvent): SourceState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'SourceRegistered': {
      const { code, partnership, name, kind, triage, categoryMap } = event.data;
      return { status: 'registered', revision, code, partnership, name, kind, triage, categoryMap };
    }
    case 'SourceUpdated': {
      if (state.status === 'none') return { ...state, revision };
      const { name, kind, triage, categoryMap } = event.data;
      return {
        ...state,
        revision,
        name: name ?? state.name,
        kind: kind ?? state.kind,
        triage: triage ?? state.triage,
        categoryMap: categoryMap ?? state.categoryMap,
      };
    }
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
