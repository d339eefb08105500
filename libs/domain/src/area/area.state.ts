import { unknownEvent } from '../event';
import type { AreaBoundary, AreaEvent, LatLng } from './area.events';

export type NoArea = { status: 'none'; revision: number };

export type RegisteredArea = {
  status: 'registered';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  name: string;
  partnership: string;
  centroid: LatLng;
  boundary?: AreaBoundary;
  /** Upper-case; none for an area registered before areas listed LSOAs. */
  lsoaCodes: string[];
  neighbours: string[];
  externalCode?: string;
};

export type AreaState = NoArea | RegisteredArea;

export const initialAreaState: AreaState = { status: 'none', revision: -1 };

export function evolveArea(state: AreaState, event: AreaEvent): AreaState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'AreaRegistered': {
      const { code, name, partnership, centroid, boundary, lsoaCodes = [], neighbours = [], externalCode } = event.data;
      return { status: 'registered', revision, code, name, partnership, centroid, boundary, lsoaCodes, neighbours, externalCode };
    }
    case 'AreaUpdated': {
      if (state.status === 'none') return { ...state, revision };
      const { name, centroid, boundary, lsoaCodes, neighbours, externalCode } = event.data;
      return {
        ...state,
        revision,
        name: name ?? state.name,
        centroid: centroid ?? state.centroid,
        boundary: boundary ?? state.boundary,
        lsoaCodes: lsoaCodes ?? state.lsoaCodes,
        neighbours: neighbours ?? state.neighbours,
        externalCode: externalCode ?? state.externalCode,
      };
    }
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
