/**
 * A 409 on an action (another tab or another officer changed it first), told from the action's
 * state now: who did what, when ("Priya Shah claimed this at 14:02"), and whether the command the
 * user tried can still be run on it.
 */
import { ApiProblem, get, withQuery, type Page } from './api';
import { formatDateTime } from './components';
import { normaliseAction, type Action, type HistoryEntry } from './model';
import { label } from './vocab';

/** The commands a card runs, by the last segment of their path. */
export type ActionCommand = 'claim' | 'decline' | 'interventions' | 'discharge' | 'release' | 'reassign' | 'due-date' | 'cancel';

export interface Clash {
  problem: ApiProblem;
  /** The action as the API has it now (undefined when it could not be read). */
  now?: Action;
  /** What happened last to it, from the problem's audit trail. */
  last?: HistoryEntry;
  command: ActionCommand;
}

const HISTORY_PAGES = 20;

/** The last event on the action's stream (the trail is in log order, paged). */
async function lastEventOf(problemId: string, actionId: string): Promise<HistoryEntry | undefined> {
  let last: HistoryEntry | undefined;
  let cursor: string | undefined;
  for (let i = 0; i < HISTORY_PAGES; i += 1) {
    const page = (await get<Page<HistoryEntry>>(withQuery(`/v1/problems/${problemId}/history`, { limit: 200, cursor }))).data;
    for (const entry of page.items) if (entry.stream === `action-${actionId}`) last = entry;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return last;
}

export async function readClash(problem: ApiProblem, action: Action, command: ActionCommand): Promise<Clash> {
  try {
    const response = await get<Record<string, unknown>>(`/v1/actions/${action.id}`);
    const now = { ...normaliseAction(response.data), revision: response.revision ?? (response.data['revision'] as number | undefined) };
    const problemId = now.problemId ?? action.problemId;
    const last = problemId ? await lastEventOf(problemId, action.id).catch(() => undefined) : undefined;
    return { problem, now, last, command };
  } catch {
    return { problem, command };
  }
}

const DID: Record<string, (entry: HistoryEntry, agencyName: (code: string) => string) => string> = {
  ActionAssigned: () => 'agreed this',
  ActionClaimed: () => 'claimed this',
  ActionDeclined: (e) => `declined this (${label(String(e.data?.['reasonCode'] ?? ''))})`,
  ActionReleased: () => 'released the claim on this',
  ActionReassigned: (e, name) => `reassigned this to ${name(String(e.data?.['toAgency'] ?? ''))}`,
  InterventionRecorded: () => 'recorded an intervention on this',
  ActionDueDateChanged: () => 'changed the due date of this',
  ActionEscalated: () => 'escalated this as overdue',
  ActionDischarged: (e) => `discharged this (${label(String(e.data?.['result'] ?? ''))})`,
  ActionCancelled: () => 'cancelled this',
};

/** "14:02" today, else "3 Dec 2026, 14:02". */
function when(iso: string, today = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameDay = at.toDateString() === today.toDateString();
  return sameDay ? `at ${at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}` : `on ${formatDateTime(iso)}`;
}

/** "Priya Shah claimed this at 14:02." from the trail, else the state: "It is now claimed by Priya Shah." */
export function whatHappened(clash: Clash, me: string, agencyName: (code: string) => string): string {
  const { last, now } = clash;
  if (last && DID[last.type]) {
    const actor = last.actor?.system ? 'The system' : last.actor?.userId === me ? 'You' : (last.actor?.name ?? 'Someone');
    const elsewhere = actor === 'You' ? ' (in another tab or window)' : '';
    return `${actor} ${DID[last.type]!(last, agencyName)} ${when(last.recordedAt)}${elsewhere}.`;
  }
  if (!now) return 'This action changed since this page was loaded.';
  if (now.status === 'claimed') return `It is now claimed by ${now.claimedBy?.userId === me ? 'you' : (now.claimedBy?.name ?? 'another officer')}.`;
  return `It is now ${label(now.status).toLowerCase()}.`;
}

/** Whether the command tried can still be run on the action as it is now (then: submit again). */
export function stillPossible(clash: Clash, me: { sub: string; agency: string }): boolean {
  const now = clash.now;
  if (!now) return false;
  const open = ['unclaimed', 'claimed', 'declined'].includes(now.status);
  switch (clash.command) {
    case 'claim':
    case 'decline':
      return now.status === 'unclaimed' && now.agency === me.agency;
    case 'interventions':
    case 'discharge':
      return now.status === 'claimed' && now.agency === me.agency;
    case 'release':
      return now.status === 'claimed';
    case 'reassign':
    case 'due-date':
    case 'cancel':
      return open;
  }
}

/** The refusal's heading, by command. */
export const NOT_DONE: Record<ActionCommand, string> = {
  claim: 'Not claimed',
  decline: 'Not declined',
  interventions: 'Intervention not recorded',
  discharge: 'Not discharged',
  release: 'Claim not released',
  reassign: 'Not reassigned',
  'due-date': 'Due date not changed',
  cancel: 'Not cancelled',
};
