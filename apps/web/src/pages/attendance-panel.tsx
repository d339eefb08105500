import { useState, type FormEvent } from 'react';
import { command, type CommandResult } from '../api';
import { FormButtons } from '../action-card';
import { ErrorSummary, FormErrors } from '../components';
import type { Attendee, GroupMember } from '../model';
import { agencyName, useReference } from '../reference';

/** A standing member's row: present or apologies, and the deputy who attends in their place. */
interface MemberRow {
  name: string;
  agency: string;
  role?: string;
  status: 'present' | 'apologies';
  deputy: string;
}

const same = (a: { name: string; agency: string }, b: { name: string; agency: string }) => a.name === b.name && a.agency === b.agency;

/**
 * The meeting's attendance, and the form that records it: pre-filled with the group's members
 * (each present, or apologies with an optional deputy), and anyone else added by hand.
 */
export function AttendancePanel({
  attendees,
  members,
  meetingId,
  editable,
  onChanged,
}: {
  attendees: Attendee[];
  members: GroupMember[];
  meetingId: string;
  editable: boolean;
  onChanged: (r: CommandResult) => Promise<void>;
}) {
  const reference = useReference();
  const [memberRows, setMemberRows] = useState<MemberRow[]>([]);
  const [rows, setRows] = useState<Attendee[]>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const editing = rows !== undefined;
  const formId = 'attendance';

  const start = () => {
    setMemberRows(
      members.map((m) => {
        const recorded = attendees.find((a) => same(a, m));
        const deputy = attendees.find((a) => a.deputisingFor === m.name && a.agency === m.agency);
        return { ...m, status: recorded?.status ?? 'present', deputy: deputy?.name ?? '' };
      }),
    );
    const others = attendees.filter((a) => !members.some((m) => same(a, m)) && !members.some((m) => a.deputisingFor === m.name && a.agency === m.agency));
    setRows(others.length || members.length ? others.map((a) => ({ ...a })) : [{ name: '', agency: '' }]);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      // The whole list as it should stand, so a repeated save records the same attendance.
      const fromMembers = memberRows.flatMap((m): Attendee[] => [
        { name: m.name, agency: m.agency, status: m.status },
        ...(m.status === 'apologies' && m.deputy.trim() ? [{ name: m.deputy.trim(), agency: m.agency, deputisingFor: m.name }] : []),
      ]);
      const result = await command(`/v1/meetings/${meetingId}/attendance`, { attendees: [...fromMembers, ...rows!.filter((r) => r.name.trim() || r.agency)] });
      setRows(undefined);
      await onChanged(result);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const updateMember = (i: number, change: Partial<MemberRow>) => setMemberRows(memberRows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  return (
    <section aria-labelledby="attendance" className="panel">
      <h2 id="attendance">Attendance</h2>
      {!editing &&
        (attendees.length === 0 ? (
          <p className="muted">Not recorded yet.</p>
        ) : (
          <ul>
            {attendees.map((a, i) => (
              <li key={`${a.name}-${i}`}>
                {a.name}, {agencyName(reference, a.agency)}
                {a.status === 'apologies' ? ': apologies' : ''}
                {a.deputisingFor ? `, deputising for ${a.deputisingFor}` : ''}
              </li>
            ))}
          </ul>
        ))}
      {editable && !editing && (
        <button type="button" className="button button--secondary" onClick={start}>
          Record attendance…
        </button>
      )}
      {editing && (
        <form onSubmit={(e) => void save(e)} noValidate>
          <ErrorSummary problem={problem} formId={formId} />
          <FormErrors formId={formId} problem={problem}>
            {memberRows.length > 0 && (
              <fieldset>
                <legend>Members</legend>
                {memberRows.map((m, i) => (
                  <fieldset className="attendee" key={`${m.name}-${m.agency}`}>
                    <legend>
                      {m.name}, {agencyName(reference, m.agency)}
                      {m.role ? `, ${m.role}` : ''}
                    </legend>
                    <div className="row">
                      {(['present', 'apologies'] as const).map((status) => (
                        <label key={status} className="choice">
                          <input type="radio" name={`member-status-${i}`} value={status} checked={m.status === status} onChange={() => updateMember(i, { status })} /> {status === 'present' ? 'Present' : 'Apologies'}
                        </label>
                      ))}
                    </div>
                    {m.status === 'apologies' && (
                      <div className="field">
                        <label htmlFor={`member-deputy-${i}`}>Deputy for {m.name} (optional)</label>
                        <input id={`member-deputy-${i}`} value={m.deputy} onChange={(e) => updateMember(i, { deputy: e.target.value })} />
                      </div>
                    )}
                  </fieldset>
                ))}
              </fieldset>
            )}
            <fieldset>
              <legend>{memberRows.length > 0 ? 'Others who attended' : 'Who attended'}</legend>
              {rows!.map((row, i) => (
                <div className="row attendee" key={i}>
                  <div className="field">
                    <label htmlFor={`attendee-name-${i}`}>Name {i + 1}</label>
                    <input id={`attendee-name-${i}`} value={row.name} onChange={(e) => setRows(rows!.map((r, j) => (j === i ? { ...r, name: e.target.value } : r)))} />
                  </div>
                  <div className="field">
                    <label htmlFor={`attendee-agency-${i}`}>Agency {i + 1}</label>
                    <select id={`attendee-agency-${i}`} value={row.agency} onChange={(e) => setRows(rows!.map((r, j) => (j === i ? { ...r, agency: e.target.value } : r)))}>
                      <option value="">Choose</option>
                      {reference.agencies.map((a) => (
                        <option key={a.code} value={a.code}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="button" className="button button--quiet" onClick={() => setRows(rows!.filter((_, j) => j !== i))} aria-label={`Remove attendee ${i + 1}`}>
                    Remove
                  </button>
                </div>
              ))}
              <button type="button" className="button button--secondary" onClick={() => setRows([...rows!, { name: '', agency: '' }])}>
                Add someone
              </button>
            </fieldset>
          </FormErrors>
          <FormButtons busy={busy} submit="Save attendance" onCancel={() => setRows(undefined)} />
        </form>
      )}
    </section>
  );
}
