/**
 * The fixed vocabularies of the contract (domain.md), used for form options and labels. Categories
 * and tactics are read from `/v1/categories` and `/v1/tactics` when the API answers; these lists are
 * the fallback and the labels.
 */

export const PROBLEM_CATEGORIES = [
  'asb-youth', 'asb-neighbour', 'criminal-damage', 'graffiti', 'arson', 'burglary', 'vehicle-crime', 'robbery', 'violence', 'drugs',
  'alcohol-disorder', 'fly-tipping', 'noise', 'parking', 'road-safety', 'hate-crime', 'exploitation', 'street-drinking', 'begging', 'other',
];
export const PRIORITIES = ['high', 'medium', 'low'];
export const PROBLEM_SOURCES = ['tasking-meeting', 'community', 'partner-referral', 'analysis'];
export const RAGS = ['red', 'amber', 'green'];
export const OUTCOMES = ['eliminated', 'reduced', 'reduced-harm', 'handled-better', 'responsibility-shifted', 'displaced', 'no-change', 'worsened'];
export const SUCCESS_OUTCOMES = ['eliminated', 'reduced', 'reduced-harm', 'handled-better'];
export const DISPLACEMENTS = ['spatial', 'temporal', 'target', 'tactic', 'offence'];
export const DECLINE_REASON_CODES = ['not-our-remit', 'no-capacity', 'insufficient-information', 'duplicate', 'other'];
export const DISCHARGE_RESULTS = ['completed', 'partially-completed', 'not-achieved'];
export const ACTION_STATUSES = ['unclaimed', 'claimed', 'declined', 'discharged', 'cancelled'];
export const PROBLEM_STATUSES = ['open', 'closed'];

export interface Tactic {
  category: string;
  name: string;
}

export const TACTICS: Record<string, string[]> = {
  enforcement: [
    'warning letter', 'acceptable behaviour contract', 'community protection notice', 'civil injunction', 'closure order', 'dispersal order',
    'arrest or warrant', 'parking enforcement', 'licensing review',
  ],
  prevention: ['target hardening', 'CCTV', 'street lighting', 'alley gating', 'property marking'],
  environmental: ['clean-up', 'fly-tip removal', 'graffiti removal', 'vegetation cut-back', 'environmental visual audit'],
  diversion: ['youth diversionary activity', 'sports session', 'outreach'],
  engagement: ['door-knocking', 'leaflet drop', 'public meeting', 'neighbourhood watch recruitment', 'ASB diaries'],
  support: ['referral to support services', 'mediation', 'victim support', 'substance-misuse treatment referral'],
  'partnership-operation': ['week of action', 'multi-agency patrol', 'licensing visit'],
};

const SPECIAL: Record<string, string> = {
  'asb-youth': 'ASB: youth',
  'asb-neighbour': 'ASB: neighbour',
  'not-our-remit': 'Not our remit',
  'reduced-harm': 'Reduced harm',
  'handled-better': 'Handled better',
  'responsibility-shifted': 'Responsibility shifted',
  'no-change': 'No change',
  'partially-completed': 'Partially completed',
  'not-achieved': 'Not achieved',
  'partnership-operation': 'Partnership operation',
  'tasking-meeting': 'Tasking meeting',
  'partner-referral': 'Partner referral',
  'asb-general': 'ASB: general',
  open311: 'Open311',
  'police-uk-street': 'data.police.uk street-level file',
  'mapped-csv': 'Other CSV, with its columns named',
};

/** `fly-tipping` -> `Fly-tipping`, `no-capacity` -> `No capacity`. */
export function label(code: string | null | undefined): string {
  if (!code) return '';
  if (SPECIAL[code]) return SPECIAL[code];
  const words = code === 'fly-tipping' ? code : code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Tactic taxonomy from `/v1/tactics`, which may answer a list or a map. */
export function normaliseTactics(raw: unknown): Record<string, string[]> {
  const items = Array.isArray(raw) ? raw : Array.isArray((raw as { items?: unknown })?.items) ? (raw as { items: unknown[] }).items : undefined;
  if (!items) return TACTICS;
  const result: Record<string, string[]> = {};
  for (const item of items as Record<string, unknown>[]) {
    const category = String(item['category'] ?? '');
    if (!category) continue;
    if (Array.isArray(item['names'])) result[category] = (item['names'] as unknown[]).map(String);
    else if (Array.isArray(item['tactics'])) result[category] = (item['tactics'] as unknown[]).map((t) => (typeof t === 'string' ? t : String((t as Tactic).name)));
    else if (typeof item['name'] === 'string') (result[category] ??= []).push(item['name'] as string);
  }
  return Object.keys(result).length > 0 ? result : TACTICS;
}

export function normaliseCategories(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : Array.isArray((raw as { items?: unknown })?.items) ? (raw as { items: unknown[] }).items : undefined;
  if (!items) return PROBLEM_CATEGORIES;
  const codes = items.map((c) => (typeof c === 'string' ? c : String((c as { code?: string; category?: string }).code ?? (c as { category?: string }).category ?? ''))).filter(Boolean);
  return codes.length > 0 ? codes : PROBLEM_CATEGORIES;
}
