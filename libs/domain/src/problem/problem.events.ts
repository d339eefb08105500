import type { Displacement, Outcome, Priority, ProblemCategory, ProblemSource, Rag } from '../categories';
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

export type ProblemEvent =
  | ProblemRaised
  | ProblemAmended
  | ProblemPrioritised
  | ProblemAnalysed
  | ProblemTabled
  | ProblemReviewed
  | ActionAgreed
  | ProblemClosed
  | ProblemReopened;

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
};
export const PROBLEM_EVENT_TYPES = Object.keys(problemEventTypes) as readonly ProblemEvent['type'][];
