import type { Actor } from '../actor';
import { reject, type WorkflowDecision } from '../decision';
import type { IsoDateTime } from '../event';
import { requireOpenMeeting } from '../meeting/meeting.decide';
import type { ExistingMeeting, MeetingState } from '../meeting/meeting.state';
import { requireVisible } from '../guards';
import type { ProblemTabled } from '../problem/problem.events';
import type { ExistingProblem, ProblemState } from '../problem/problem.state';
import { problemAccess, requireOpenProblem } from '../problem/problem.decide';

/** `POST /v1/meetings/:id/problems`: the problem and meeting are the states handed in. */
export type TableProblem = { type: 'TableProblem'; actor: Actor; now: IsoDateTime };

/** To `problem-<problemId>` only (the command answers with the problem's revision); empty when already tabled there. */
export type TableProblemEvents = { problem: ProblemTabled[] };

/**
 * Tables a problem at a meeting. Checks: meeting visible (NOT_FOUND), problem visible (NOT_FOUND)
 * and in the meeting's partnership (NOT_FOUND), inspector (FORBIDDEN_ROLE), problem open
 * (PROBLEM_CLOSED), meeting open (MEETING_CLOSED). Tabling again at the same meeting decides no events.
 */
export function tableProblem(input: { problem: ProblemState; meeting: MeetingState; command: TableProblem }): WorkflowDecision<TableProblemEvents> {
  const { problem: problemState, meeting: meetingState, command } = input;
  const refused =
    requireVisible(command.actor, meetingState, 'meeting') ??
    requireVisible(command.actor, problemState, 'problem') ??
    ((problemState as ExistingProblem).partnership !== (meetingState as ExistingMeeting).partnership
      ? reject('NOT_FOUND', `problem not found in partnership ${(meetingState as ExistingMeeting).partnership}`)
      : undefined) ??
    problemAccess(command, problemState, 'table problems');
  if (refused) return refused;
  const problem = problemState as ExistingProblem;
  const meeting = meetingState as ExistingMeeting;
  const blocked = requireOpenProblem(problem, 'table it') ?? requireOpenMeeting(meeting, 'table problems at it');
  if (blocked) return blocked;
  if (problem.tabledAt.includes(meeting.meetingId)) return { ok: true, events: { problem: [] } };
  return { ok: true, events: { problem: [{ type: 'ProblemTabled', data: { meetingId: meeting.meetingId } }] } };
}
