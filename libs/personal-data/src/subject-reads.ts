import type { Principal } from '@tasking/auth';
import { ERASED } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import type { Clock } from '@tasking/shared';
import { maySeeSubjects, redactSubjectEvent, shownSubjectIds, subjectsView, type SubjectAudience, type SubjectRecord } from './audience';
import type { SubjectAccessLog } from './subject-access-log';

/**
 * The subjects of a problem as a read path shows them to this caller, with the access record
 * written first (a showing is never unrecorded: if the record cannot be written, the read fails).
 */
export async function showSubjects(
  deps: { accessLog: SubjectAccessLog; clock: Clock },
  principal: Principal,
  problemId: string,
  subjects: readonly SubjectRecord[],
  audience: SubjectAudience,
  route: string,
): Promise<ReturnType<typeof subjectsView>> {
  const visible = maySeeSubjects(principal, audience);
  const shown = visible ? shownSubjectIds(subjects) : [];
  if (shown.length > 0) await deps.accessLog.record({ problemId, subjectIds: shown, principal, route, at: deps.clock.now() });
  return subjectsView(subjects, visible);
}

/** History events' data as this caller may see it (SubjectAdded redacted outside the audience), the showing recorded. */
export async function historyData(
  deps: { accessLog: SubjectAccessLog; clock: Clock },
  principal: Principal,
  problemId: string,
  page: readonly RecordedEvent[],
  audience: SubjectAudience,
  route: string,
): Promise<Record<string, unknown>[]> {
  const visible = maySeeSubjects(principal, audience);
  const shown = visible
    ? page.filter((event) => event.type === 'SubjectAdded' && event.data['name'] !== ERASED).map((event) => String(event.data['subjectId']))
    : [];
  if (shown.length > 0) await deps.accessLog.record({ problemId, subjectIds: shown, principal, route, at: deps.clock.now() });
  return page.map((event) => redactSubjectEvent(event, visible));
}
