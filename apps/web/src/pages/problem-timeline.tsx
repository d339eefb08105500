/** The problem's audit timeline: every event on the problem and its actions, newest last. */
import { useState } from 'react';
import { get, withQuery, type Page } from '../api';
import { Loaded, Time } from '../components';
import { useAsync } from '../hooks';
import type { HistoryEntry } from '../model';
import { agencyName, useReference } from '../reference';
import { label } from '../vocab';

const EVENT_WORDS: Record<string, string> = {
  ProblemRaised: 'Problem raised',
  ProblemAmended: 'Problem amended',
  ProblemPrioritised: 'Prioritised',
  ProblemAnalysed: 'Analysis recorded',
  ProblemTabled: 'Tabled at a meeting',
  ProblemReviewed: 'Reviewed',
  ActionAgreed: 'Action agreed',
  ProblemClosed: 'Problem closed',
  ProblemReopened: 'Problem reopened',
  ActionAssigned: 'Action agreed',
  ActionClaimed: 'Action claimed',
  ActionDeclined: 'Action declined',
  ActionReleased: 'Claim released',
  ActionReassigned: 'Action reassigned',
  InterventionRecorded: 'Intervention recorded',
  ActionDueDateChanged: 'Due date changed',
  ActionEscalated: 'Escalated (overdue)',
  ActionDischarged: 'Action discharged',
  ActionCancelled: 'Action cancelled',
};

function summarise(entry: HistoryEntry, agencies: (code: string) => string): string {
  const d = entry.data ?? {};
  const bits: string[] = [];
  const s = (k: string) => (d[k] === undefined || d[k] === null ? undefined : String(d[k]));
  if (s('title') && entry.type === 'ProblemRaised') bits.push(`“${s('title')}”`);
  if (s('priority')) bits.push(`priority ${s('priority')}`);
  if (s('rag')) bits.push(`RAG ${s('rag')}`);
  if (s('agency')) bits.push(`to ${agencies(s('agency')!)}`);
  if (s('toAgency')) bits.push(`from ${s('fromAgency')} to ${s('toAgency')}`);
  const tactic = d['tactic'] as { category?: string; name?: string } | undefined;
  if (tactic?.name) bits.push(`tactic: ${tactic.name}`);
  if (s('reasonCode')) bits.push(label(s('reasonCode')));
  if (s('result')) bits.push(label(s('result')));
  if (s('outcome')) bits.push(`outcome: ${label(s('outcome'))}`);
  if (s('displacement')) bits.push(`displacement: ${label(s('displacement'))}`);
  if (s('dueBy')) bits.push(`due ${new Date(s('dueBy')!).toLocaleDateString('en-GB')}`);
  if (s('reason')) bits.push(s('reason')!);
  if (s('note')) bits.push(s('note')!);
  if (s('description') && entry.type !== 'ProblemRaised') bits.push(s('description')!);
  return bits.join(' · ');
}

/**
 * Agreeing an action appends two events at once (ActionAgreed on the problem, ActionAssigned on the
 * action): one line says it, the assignment's (it has the agency, tactic, due date and description).
 */
function oneLinePerAction(items: HistoryEntry[]): HistoryEntry[] {
  const assigned = new Set(items.filter((e) => e.type === 'ActionAssigned').map((e) => String(e.data?.['actionId'] ?? e.stream.replace(/^action-/, ''))));
  return items.filter((e) => !(e.type === 'ActionAgreed' && assigned.has(String(e.data?.['actionId']))));
}

export function Timeline({ problemId, refreshKey, asAt }: { problemId: string; refreshKey: number; asAt: string }) {
  const reference = useReference();
  const [extra, setExtra] = useState<{ items: HistoryEntry[]; cursor?: string | null }>({ items: [] });
  const state = useAsync(async () => {
    setExtra({ items: [] });
    const response = await get<Page<HistoryEntry>>(withQuery(`/v1/problems/${problemId}/history`, { limit: 200 }));
    return response.data;
  }, [problemId, refreshKey]);
  const loadMore = async () => {
    const cursor = extra.cursor ?? state.data?.nextCursor;
    if (!cursor) return;
    const response = await get<Page<HistoryEntry>>(withQuery(`/v1/problems/${problemId}/history`, { limit: 200, cursor }));
    setExtra({ items: [...extra.items, ...response.data.items], cursor: response.data.nextCursor ?? null });
  };
  const items = oneLinePerAction([...(state.data?.items ?? []), ...extra.items]);
  const cutoff = asAt ? Date.parse(asAt) : undefined;
  const more = extra.cursor !== undefined ? extra.cursor : state.data?.nextCursor;
  return (
    <section aria-labelledby="timeline" className="panel">
      <h2 id="timeline">Timeline</h2>
      <Loaded state={state} what="the timeline" isEmpty={() => items.length === 0} empty={<p className="muted">No events.</p>}>
        {() => (
          <ol className="timeline">
            {items.map((entry) => {
              const later = cutoff !== undefined && Date.parse(entry.recordedAt) > cutoff;
              const actor = entry.actor?.system ? `system (${entry.actor.system})` : [entry.actor?.name, entry.actor?.agency].filter(Boolean).join(', ');
              return (
                <li key={`${entry.position}-${entry.stream}-${entry.revision}`} className={later ? 'timeline__later' : undefined}>
                  <Time value={entry.recordedAt} withTime />
                  <span className="timeline__type">{EVENT_WORDS[entry.type] ?? entry.type}</span>
                  {actor && <span className="timeline__actor">by {actor}</span>}
                  <span className="timeline__summary">{summarise(entry, (code) => agencyName(reference, code))}</span>
                  {later && <span className="visually-hidden"> (after the as-at time)</span>}
                </li>
              );
            })}
          </ol>
        )}
      </Loaded>
      {more && (
        <button type="button" className="button button--secondary" onClick={() => void loadMore()}>
          Show more events
        </button>
      )}
    </section>
  );
}
