import type { Displacement, Outcome, Priority, ProblemCategory, ProblemSource, Rag, SubjectRole } from '../categories';
import { unknownEvent, type IsoDateTime } from '../event';
import { eventTimeOf, latestOf } from '../times';
import type { ProblemEvent, ProblemLocation } from './problem.events';

export type AgreedAction = { actionId: string; agency: string; meetingId?: string };

export type ProblemClosure = {
  outcome: Outcome;
  displacement?: Displacement;
  closedAt: IsoDateTime;
  /** When the closure was recorded (absent when the fold did not know); retention counts from it. */
  recordedAt?: IsoDateTime;
  override: boolean;
};

/** A subject as the deciders know it: who, in which role, whether erased. Never its personal fields. */
export type ProblemSubject = { subjectId: string; role: SubjectRole; erased: boolean };

export type NoProblem = { status: 'none'; revision: number };

export type ExistingProblem = {
  status: 'open' | 'closed';
  /** 0-based index of the last event folded. */
  revision: number;
  problemId: string;
  partnership: string;
  title: string;
  description: string;
  category: ProblemCategory;
  location: ProblemLocation;
  priority?: Priority;
  harmScore?: number;
  source: ProblemSource;
  groupCode?: string;
  raisedAt: IsoDateTime;
  /** Its case reference; absent on problems raised before references. */
  reference?: string;
  /** Every action agreed on the problem, in order (their own streams say whether they are still open). */
  agreedActions: AgreedAction[];
  /** Meetings the problem has been tabled at, in order. */
  tabledAt: string[];
  lastRag?: Rag;
  /** The latest closure; kept after a reopen (status says whether it stands). */
  lastClosure?: ProblemClosure;
  closures: number;
  reopenings: number;
  /** The people named on the problem, in the order added. */
  subjects: ProblemSubject[];
  /** The retention erasure ran since the latest closure (a reopening starts a new period). */
  personalDataErased: boolean;
  /** The latest time in the problem's history (event times and when they were recorded). */
  lastEventAt?: IsoDateTime;
};

export type ProblemState = NoProblem | ExistingProblem;

export const initialProblemState: ProblemState = { status: 'none', revision: -1 };

export function evolveProblem(state: ProblemState, event: ProblemEvent): ProblemState {
  const next = evolveProblemData(state, event);
  if (next.status === 'none') return next;
  const lastEventAt = latestOf(state.status === 'none' ? undefined : state.lastEventAt, eventTimeOf(event));
  return lastEventAt === undefined ? next : { ...next, lastEventAt };
}

function evolveProblemData(state: ProblemState, event: ProblemEvent): ProblemState {
  const revision = state.revision + 1;
  if (event.type === 'ProblemRaised') {
    const { data } = event;
    return {
      status: 'open',
      revision,
      problemId: data.problemId,
      partnership: data.partnership,
      title: data.title,
      description: data.description,
      category: data.category,
      location: data.location,
      priority: data.priority,
      source: data.source,
      groupCode: data.groupCode,
      raisedAt: data.raisedAt,
      ...(data.reference === undefined ? {} : { reference: data.reference }),
      agreedActions: [],
      tabledAt: [],
      closures: 0,
      reopenings: 0,
      subjects: [],
      personalDataErased: false,
    };
  }
  // Events before ProblemRaised cannot be produced by the decider; count them and move on.
  if (state.status === 'none') return { ...state, revision };

  switch (event.type) {
    case 'ProblemAmended': {
      const { title, description, category, location } = event.data;
      return {
        ...state,
        revision,
        title: title ?? state.title,
        description: description ?? state.description,
        category: category ?? state.category,
        location: location ?? state.location,
      };
    }
    case 'ProblemPrioritised':
      return { ...state, revision, priority: event.data.priority, harmScore: event.data.harmScore };
    case 'ProblemAnalysed':
      return { ...state, revision };
    case 'ProblemTabled':
      return { ...state, revision, tabledAt: [...state.tabledAt, event.data.meetingId] };
    case 'ProblemReviewed':
      return { ...state, revision, lastRag: event.data.rag };
    case 'ActionAgreed': {
      const { actionId, agency, meetingId } = event.data;
      const agreed: AgreedAction = meetingId === undefined ? { actionId, agency } : { actionId, agency, meetingId };
      return { ...state, revision, agreedActions: [...state.agreedActions, agreed] };
    }
    case 'ProblemClosed': {
      const { outcome, displacement, closedAt, override } = event.data;
      return {
        ...state,
        status: 'closed',
        revision,
        lastClosure: { outcome, displacement, closedAt, ...(event.recordedAt === undefined ? {} : { recordedAt: event.recordedAt }), override: override === true },
        closures: state.closures + 1,
      };
    }
    case 'ProblemReopened':
      return { ...state, status: 'open', revision, reopenings: state.reopenings + 1, personalDataErased: false };
    case 'SubjectAdded':
      return { ...state, revision, subjects: [...state.subjects, { subjectId: event.data.subjectId, role: event.data.role, erased: false }] };
    case 'SubjectErased':
      return {
        ...state,
        revision,
        subjects: state.subjects.map((s) => (s.subjectId === event.data.subjectId ? { ...s, erased: true } : s)),
      };
    case 'ProblemPersonalDataErased':
      return { ...state, revision, personalDataErased: true, subjects: state.subjects.map((s) => ({ ...s, erased: true })) };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
