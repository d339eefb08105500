import { SUCCESS_OUTCOMES, type Outcome, type ProblemCategory } from '../categories';
import type { DismissReasonCode } from '../incident/incident.events';

/**
 * What the public sees of a reported incident (evidence.md, "Open311"): the GeoReport v2 status
 * (`open`, `closed`) in `GET requests`, and FixMyStreet's extended statuses in
 * `GET servicerequestupdates`.
 */

export const PUBLIC_STATUSES = ['open', 'closed'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export const EXTENDED_STATUSES = ['OPEN', 'IN_PROGRESS', 'FIXED', 'NO_FURTHER_ACTION', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY'] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

/** Where an incident stands in triage, with what the status depends on of its problem or original. */
export type IncidentStanding = {
  triage: 'untriaged' | 'recorded' | 'linked' | 'duplicate' | 'dismissed' | 'withdrawn';
  /** When dismissed. */
  dismissReason?: DismissReasonCode;
  /** When linked: its problem. */
  problem?: { open: boolean; actionsAgreed: boolean; outcome?: Outcome };
  /** When marked duplicate: whether the original's public status is closed. */
  originalClosed?: boolean;
};

const successful = (outcome: Outcome | undefined): boolean => outcome !== undefined && (SUCCESS_OUTCOMES as readonly Outcome[]).includes(outcome);

/** `open` while untriaged or while its problem is open; `closed` once its problem closes, it is dismissed, or its original closes. */
export function publicStatusOf(standing: IncidentStanding): PublicStatus {
  switch (standing.triage) {
    case 'dismissed':
    case 'withdrawn':
      return 'closed';
    case 'linked':
      return standing.problem !== undefined && !standing.problem.open ? 'closed' : 'open';
    case 'duplicate':
      return standing.originalClosed === true ? 'closed' : 'open';
    default:
      return 'open';
  }
}

/**
 * FixMyStreet's extended status: `IN_PROGRESS` once its problem has agreed actions, `FIXED` when the
 * problem closed with a successful outcome, `NO_FURTHER_ACTION` when closed otherwise or dismissed,
 * `NOT_COUNCILS_RESPONSIBILITY` when dismissed as out of area, `DUPLICATE` when marked so.
 */
export function extendedStatusOf(standing: IncidentStanding): ExtendedStatus {
  switch (standing.triage) {
    case 'dismissed':
      return standing.dismissReason === 'out-of-area' ? 'NOT_COUNCILS_RESPONSIBILITY' : 'NO_FURTHER_ACTION';
    case 'withdrawn':
      return 'NO_FURTHER_ACTION';
    case 'duplicate':
      return 'DUPLICATE';
    case 'linked': {
      const problem = standing.problem;
      if (problem === undefined) return 'OPEN';
      if (!problem.open) return successful(problem.outcome) ? 'FIXED' : 'NO_FURTHER_ACTION';
      return problem.actionsAgreed ? 'IN_PROGRESS' : 'OPEN';
    }
    default:
      return 'OPEN';
  }
}

/** The fixed `status_notes` of each extended status, where the problem has no approved public summary. */
export const STATUS_NOTES: Readonly<Record<ExtendedStatus, string>> = {
  OPEN: 'Your report has been received and is waiting to be looked at.',
  IN_PROGRESS: 'The partnership has agreed actions on the problem your report is part of.',
  FIXED: 'The problem your report is part of has been dealt with.',
  NO_FURTHER_ACTION: 'No further action will be taken on this report.',
  DUPLICATE: 'This report is a duplicate of another report.',
  NOT_COUNCILS_RESPONSIBILITY: 'This report is outside the partnership’s area.',
};

/** A coordinate as the public sees it: rounded to 3 decimal places (about 100 m). */
export const publicCoordinate = (value: number): number => Math.round(value * 1000) / 1000;

/** Reports in these categories are listed only to the client that posted them: they may point at a neighbour or a victim. */
export const SENSITIVE_OPEN311_CATEGORIES: readonly ProblemCategory[] = ['asb-neighbour', 'noise', 'hate-crime', 'exploitation', 'violence'];
