import { unknownEvent } from '../event';
import type { AreaEvent, GeoJsonPolygon, LatLng } from './area.events';

export type NoArea = { status: 'none'; revision: number };

export type RegisteredArea = {
  status: 'registered';
  /** 0-based index of the last event folded. */
  revision: number;
  code: string;
  name: string;
  partnership: string;
  centroid: LatLng;
  boundary?: GeoJsonPolygon;
};

export type AreaState = NoArea | RegisteredArea;

export const initialAreaState: AreaState = { status: 'none', revision: -1 };

export function evolveArea(state: AreaState, event: AreaEvent): AreaState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'AreaRegistered': {
      const { code, name, partnership, centroid, boundary } = event.data;
      return { status: 'registered', revision, code, name, partnership, centroid, boundary };
    }
    case 'AreaUpdated': {
      if (state.status === 'none') return { ...state, revision };
      const { name, centroid, boundary } = event.data;
      return {
        ...state,
        revision,
        name: name ?? state.name,
        centroid: centroid ?? state.centroid,
        boundary: boundary ?? state.boundary,
      };
    }
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
