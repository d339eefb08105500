import type { Displacement, Outcome, Priority, ProblemCategory, ProblemSource, Rag, SubjectRole } from '../categories';
import type { Event, IsoDateTime } from '../event';

/** Where a problem is: its area, and optionally a point and an address. */
export type ProblemLocation = {
  areaCode: string;
  /** -90..90 */
  lat?: number;
  /** -180..180 */
  lng?: number;
  address?: string;
};

export type ProblemRaised = Event<
  'ProblemRaised',
  {
    problemId: string;
    partnership: string;
    title: string;
    description: string;
    category: ProblemCategory;
    location: ProblemLocation;
    priority?: Priority;
    source: ProblemSource;
    groupCode?: string;
    raisedAt: IsoDateTime;
    /** Its case reference, e.g. `SAFE-2026-0142` (reference.ts); absent on problems raised before references. */
    reference?: string;
  }
>;

/** Only the fields that changed. */
export type ProblemAmended = Event<
  'ProblemAmended',
  {
    title?: string;
    description?: string;
    category?: ProblemCategory;
    location?: ProblemLocation;
  }
>;

export type ProblemPrioritised = Event<
  'ProblemPrioritised',
  {
    priority: Priority;
    /** 0..100 */
    harmScore?: number;
    rationale: string;
  }
>;

/** Problem-analysis-triangle notes. */
export type ProblemAnalysed = Event<
  'ProblemAnalysed',
  {
    victim?: string;
    offender?: string;
    location?: string;
    hypotheses: string[];
  }
>;

export type ProblemTabled = Event<'ProblemTabled', { meetingId: string }>;

export type ProblemReviewed = Event<
  'ProblemReviewed',
  {
    meetingId?: string;
    rag: Rag;
    note: string;
  }
>;

/** Appended to the problem stream atomically with the action's ActionAssigned. */
export type ActionAgreed = Event<
  'ActionAgreed',
  {
    actionId: string;
    agency: string;
    meetingId?: string;
  }
>;

export type ProblemClosed = Event<
  'ProblemClosed',
  {
    outcome: Outcome;
    displacement?: Displacement;
    /** Whether benefits spread beyond the problem's focus (the opposite of displacement). */
    diffusionOfBenefits?: boolean;
    assessment: string;
    /** true when closed although agreed actions were still open (they are cancelled in the same append). */
    override?: boolean;
    overrideReason?: string;
    closedAt: IsoDateTime;
  }
>;

export type ProblemReopened = Event<'ProblemReopened', { reason: string }>;

/**
 * A person named on the problem (a victim, a perpetrator, a witness). `name`, `dateOfBirth`,
 * `address` and `notes` are personal data: the store encrypts them under a key of this subject's
 * own (see personal-data.ts), and only the problem's own agencies and the partnership's managers
 * see them.
 */
export type SubjectAdded = Event<
  'SubjectAdded',
  {
    subjectId: string;
    role: SubjectRole;
    name: string;
    /** A date, YYYY-MM-DD. */
    dateOfBirth?: string;
    address?: string;
    notes?: string;
    addedAt: IsoDateTime;
  }
>;

/** The subject's personal data is erased: its key is destroyed, so the log keeps only ciphertext. */
export type SubjectErased = Event<'SubjectErased', { subjectId: string; reason: string; erasedAt: IsoDateTime }>;

/**
 * Appended by the retention system when the problem has been closed for the retention period:
 * its free text and its subjects' personal data are erased (their keys destroyed). Categories,
 * areas, dates, agencies, tactics and outcomes stay, so every statistic survives.
 */
export type ProblemPersonalDataErased = Event<
  'ProblemPersonalDataErased',
  {
    reason: 'retention';
    /** The closure whose retention period ran out. */
    closedAt: IsoDateTime;
    retentionYears: number;
    erasedAt: IsoDateTime;
  }
>;

export type ProblemEvent =
  | ProblemRaised
  | ProblemAmended
  | ProblemPrioritised
  | ProblemAnalysed
  | ProblemTabled
  | ProblemReviewed
  | ActionAgreed
  | ProblemClosed
  | ProblemReopened
  | SubjectAdded
  | SubjectErased
  | ProblemPersonalDataErased;

/** Every problem event type (a record keyed by the union, so the list cannot miss one). */
const problemEventTypes: Record<ProblemEvent['type'], true> = {
  ProblemRaised: true,
  ProblemAmended: true,
  ProblemPrioritised: true,
  ProblemAnalysed: true,
  ProblemTabled: true,
  ProblemReviewed: true,
  ActionAgreed: true,
  ProblemClosed: true,
  ProblemReopened: true,
  SubjectAdded: true,
  SubjectErased: true,
  ProblemPersonalDataErased: true,
};
export const PROBLEM_EVENT_TYPES = Object.keys(problemEventTypes) as readonly ProblemEvent['type'][];
