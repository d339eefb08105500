/** Reference data every screen needs (agencies, areas, groups, categories, tactics), read once per sign-in. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { get } from './api';
import { itemsOf, normaliseAgency, normaliseArea, normaliseGroup, type Agency, type Area, type Group } from './model';
import { normaliseCategories, normaliseTactics, PROBLEM_CATEGORIES, TACTICS } from './vocab';

export interface Reference {
  agencies: Agency[];
  areas: Area[];
  groups: Group[];
  categories: string[];
  tactics: Record<string, string[]>;
  /** Routes that failed to load (shown once, the console still works with the fallbacks). */
  missing: string[];
}

const empty: Reference = { agencies: [], areas: [], groups: [], categories: PROBLEM_CATEGORIES, tactics: TACTICS, missing: [] };
const ReferenceContext = createContext<Reference>(empty);

export const useReference = () => useContext(ReferenceContext);

async function all(path: string): Promise<unknown[]> {
  const response = await get<unknown>(`${path}${path.includes('?') ? '&' : '?'}limit=500`);
  return itemsOf(response.data);
}

export function ReferenceProvider({ token, children }: { token: string; children: ReactNode }) {
  const [reference, setReference] = useState<Reference>(empty);
  useEffect(() => {
    let cancelled = false;
    const missing: string[] = [];
    const attempt = async <T,>(path: string, map: (raw: unknown) => T, fallback: T): Promise<T> => {
      try {
        return map(path.startsWith('/v1/tactics') || path.startsWith('/v1/categories') ? (await get<unknown>(path)).data : await all(path));
      } catch {
        missing.push(path);
        return fallback;
      }
    };
    void (async () => {
      const [agencies, areas, groups, categories, tactics] = await Promise.all([
        attempt('/v1/agencies', (r) => (r as Record<string, unknown>[]).map(normaliseAgency), [] as Agency[]),
        attempt('/v1/areas', (r) => (r as Record<string, unknown>[]).map(normaliseArea), [] as Area[]),
        attempt('/v1/groups', (r) => (r as Record<string, unknown>[]).map(normaliseGroup), [] as Group[]),
        attempt('/v1/categories', normaliseCategories, PROBLEM_CATEGORIES),
        attempt('/v1/tactics', normaliseTactics, TACTICS),
      ]);
      if (!cancelled) setReference({ agencies, areas, groups, categories, tactics, missing });
    })();
    return () => {
      cancelled = true;
    };
  }, [token]);
  return <ReferenceContext.Provider value={reference}>{children}</ReferenceContext.Provider>;
}

export function agencyName(reference: Reference, code: string | undefined): string {
  if (!code) return '';
  const agency = reference.agencies.find((a) => a.code === code);
  return agency && agency.name !== code ? `${agency.name} (${code})` : code;
}

export function areaName(reference: Reference, code: string | undefined): string {
  if (!code) return '';
  const area = reference.areas.find((a) => a.code === code);
  return area && area.name !== code ? area.name : code;
}
