/**
 * The fixed vocabularies of domain.md, as readonly arrays with derived union types, so the HTTP
 * layer can use the arrays for enums and the domain the types.
 */

import { reject, success, type Result } from './decision';

export const PROBLEM_CATEGORIES = [
  'asb-youth',
  'asb-neighbour',
  'criminal-damage',
  'graffiti',
  'arson',
  'burglary',
  'vehicle-crime',
  'robbery',
  'violence',
  'drugs',
  'alcohol-disorder',
  'fly-tipping',
  'noise',
  'parking',
  'road-safety',
  'hate-crime',
  'exploitation',
  'street-drinking',
  'begging',
  // The categories incidents bring (evidence.md, the data.police.uk map).
  'asb-general',
  'public-order',
  'shoplifting',
  'theft',
  'bicycle-theft',
  'weapons',
  'other',
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PROBLEM_SOURCES = ['tasking-meeting', 'community', 'partner-referral', 'analysis'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];
export const DEFAULT_PROBLEM_SOURCE: ProblemSource = 'tasking-meeting';

export const RAGS = ['red', 'amber', 'green'] as const;
export type Rag = (typeof RAGS)[number];

/** Eck and Spelman's impact scale; the first four count as success. */
export const OUTCOMES = [
  'eliminated',
  'reduced',
  'reduced-harm',
  'handled-better',
  'responsibility-shifted',
  'displaced',
  'no-change',
  'worsened',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUCCESS_OUTCOMES = ['eliminated', 'reduced', 'reduced-harm', 'handled-better'] as const satisfies readonly Outcome[];

export const DISPLACEMENTS = ['spatial', 'temporal', 'target', 'tactic', 'offence'] as const;
export type Displacement = (typeof DISPLACEMENTS)[number];

export const DECLINE_REASON_CODES = ['not-our-remit', 'no-capacity', 'insufficient-information', 'duplicate', 'other'] as const;
export type DeclineReasonCode = (typeof DECLINE_REASON_CODES)[number];

export const DISCHARGE_RESULTS = ['completed', 'partially-completed', 'not-achieved'] as const;
export type DischargeResult = (typeof DISCHARGE_RESULTS)[number];

export const ESCALATION_REASONS = ['overdue'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const AGENCY_KINDS = [
  'police',
  'local-authority',
  'fire-rescue',
  'health',
  'probation',
  'housing',
  'youth',
  'voluntary',
  'other',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const ROLES = ['inspector', 'officer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** How a person named on a problem (a subject) is involved in it. */
export const SUBJECT_ROLES = ['victim', 'perpetrator', 'witness', 'other'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

/** The tactic taxonomy: category -> tactic names, in the spelling stored in events. */
export const TACTIC_TAXONOMY = {
  enforcement: [
    'warning letter',
    'acceptable behaviour contract',
    'community protection notice',
    'civil injunction',
    'closure order',
    'dispersal order',
    'arrest or warrant',
    'parking enforcement',
    'licensing review',
  ],
  prevention: ['target hardening', 'CCTV', 'street lighting', 'alley gating', 'property marking'],
  environmental: ['clean-up', 'fly-tip removal', 'graffiti removal', 'vegetation cut-back', 'environmental visual audit'],
  diversion: ['youth diversionary activity', 'sports session', 'outreach'],
  engagement: ['door-knocking', 'leaflet drop', 'public meeting', 'neighbourhood watch recruitment', 'ASB diaries'],
  support: ['referral to support services', 'mediation', 'victim support', 'substance-misuse treatment referral'],
  'partnership-operation': ['week of action', 'multi-agency patrol', 'licensing visit'],
} as const;

export type TacticCategory = keyof typeof TACTIC_TAXONOMY;
export const TACTIC_CATEGORIES = Object.keys(TACTIC_TAXONOMY) as TacticCategory[] as readonly TacticCategory[];

/** A tactic as stored in events: a taxonomy category and a name in the taxonomy's spelling. */
export type Tactic = { category: TacticCategory; name: string };
/** A tactic as a caller spells it, before normalisation. */
export type TacticInput = { category: string; name: string };

/** Every tactic of the taxonomy, in taxonomy order. */
export const TACTICS: readonly Tactic[] = TACTIC_CATEGORIES.flatMap((category) =>
  TACTIC_TAXONOMY[category].map((name) => ({ category, name })),
);

/** Other names a tactic is known by (domain.md: public meeting ("face the public")). */
const TACTIC_ALIASES: Readonly<Record<string, string>> = {
  'face the public': 'public meeting',
};

const canonicalKey = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Matches a tactic to the taxonomy case-insensitively (trimming and collapsing whitespace) and
 * returns it in the taxonomy's spelling, so "cctv" and " CCTV " are one tactic; UNKNOWN_TACTIC otherwise.
 */
export function normaliseTactic(input: TacticInput): Result<Tactic> {
  const categoryKey = canonicalKey(String(input?.category ?? ''));
  const category = TACTIC_CATEGORIES.find((c) => c === categoryKey);
  if (!category) {
    return reject('UNKNOWN_TACTIC', `tactic category "${String(input?.category ?? '')}" is not one of ${TACTIC_CATEGORIES.join(', ')}`);
  }
  const nameKey = canonicalKey(String(input?.name ?? ''));
  const wanted = TACTIC_ALIASES[nameKey] ?? nameKey;
  const name = TACTIC_TAXONOMY[category].find((n) => canonicalKey(n) === wanted);
  if (!name) {
    const elsewhere = TACTICS.find((t) => canonicalKey(t.name) === wanted);
    const hint = elsewhere ? ` (it is a "${elsewhere.category}" tactic)` : '';
    return reject('UNKNOWN_TACTIC', `"${String(input?.name ?? '')}" is not a tactic of category "${category}" in the taxonomy${hint}`);
  }
  return success({ category, name });
}
