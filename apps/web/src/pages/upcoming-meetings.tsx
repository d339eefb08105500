import { useState } from 'react';
import { command } from '../api';
import { ErrorSummary, Time } from '../components';
import type { Group } from '../model';
import { Link, navigate } from '../router';
import { useSession } from '../session-context';

/** Each group's next meeting by its schedule: open the one scheduled, or schedule it for the next date and open it. */
export function UpcomingMeetings({ groups }: { groups: Group[] }) {
  const { can, session } = useSession();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState<string>();

  const openNext = async (group: Group, date: string) => {
    setBusy(group.code);
    setProblem(undefined);
    try {
      const result = await command('/v1/meetings', {
        groupCode: group.code,
        heldOn: date,
        chair: session.claims.name,
        ...(group.partnership ? { partnership: group.partnership } : {}),
      });
      navigate(`/meetings/${result.id}`);
    } catch (error) {
      setProblem(error);
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="upcoming" className="panel">
      <h2 id="upcoming">Upcoming meetings</h2>
      <ErrorSummary problem={problem} formId="upcoming" title="The meeting was not scheduled" />
      <ul className="meeting-list">
        {groups.map((group) => {
          const next = group.nextMeeting;
          const date = next?.heldOn ?? next?.date;
          return (
            <li key={`${group.partnership}.${group.code}`}>
              <strong>{group.name}</strong>
              {': '}
              {date ? (
                <>
                  <Time value={date} />
                  {next?.time && !next.meetingId ? ` at ${next.time}` : ''}
                  {group.schedule ? `, every ${group.schedule.everyDays} days` : ''}{' '}
                  {next?.meetingId ? (
                    <Link to={`/meetings/${next.meetingId}`}>
                      Open the next meeting<span className="visually-hidden"> of {group.name}</span>
                    </Link>
                  ) : (
                    can('inspector') &&
                    next?.date && (
                      <button type="button" className="button button--secondary" disabled={busy !== undefined} onClick={() => void openNext(group, next.date!)}>
                        Open the next meeting<span className="visually-hidden"> of {group.name}</span>
                      </button>
                    )
                  )}
                </>
              ) : (
                'no schedule set'
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
