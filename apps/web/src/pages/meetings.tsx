import { useState, type FormEvent } from 'react';
import { command, get, withQuery, type Page } from '../api';
import { FormButtons } from '../action-card';
import { useSession } from '../session-context';
import { Badge, ErrorSummary, FormErrors, isoDay, Loaded, SelectField, TextField, Time } from '../components';
import { useAsync } from '../hooks';
import { itemsOf, normaliseGroup, normaliseMeeting } from '../model';
import { UpcomingMeetings } from './upcoming-meetings';
import { useReference } from '../reference';
import { Link, navigate, setSearchParams, useSearchParams } from '../router';

/** Every group's next meeting, and the meetings of one group or all, to pick one (or schedule one) and run it in meeting mode. */
export function MeetingsPage() {
  const { can, session } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  /** Empty: all groups. */
  const groupCode = params.get('groupCode') ?? '';
  // Read here rather than from the reference data: the next meeting moves with the date and with scheduling.
  const groups = useAsync(async () => itemsOf((await get<Page<Record<string, unknown>>>('/v1/groups')).data).map(normaliseGroup), []);
  const meetings = useAsync(
    async (minPosition?: string) => {
      const response = await get<Page<Record<string, unknown>>>(withQuery('/v1/meetings', { groupCode, limit: 100 }), { minPosition });
      return itemsOf(response.data)
        .map(normaliseMeeting)
        .sort((a, b) => (b.heldOn ?? '').localeCompare(a.heldOn ?? ''));
    },
    [groupCode],
  );
  const [values, setValues] = useState<Record<string, string>>({ heldOn: isoDay(0), chair: session.claims.name });
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const partnerships = session.claims.partnerships ?? [];

  const schedule = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await command('/v1/meetings', {
        groupCode: values.groupCode ?? (groupCode || reference.groups[0]?.code || ''),
        heldOn: values.heldOn ?? '',
        chair: values.chair ?? '',
        ...(values.partnership ? { partnership: values.partnership } : {}),
      });
      navigate(`/meetings/${result.id}`);
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Meetings</h1>
      <form className="filters" aria-label="Choose a tasking group" onSubmit={(e) => e.preventDefault()}>
        <SelectField name="groupCode" label="Tasking group" options={reference.groups.map((g) => ({ value: g.code, label: g.name }))} empty={reference.groups.length ? 'All groups' : 'No groups registered'} value={groupCode} onChange={(e) => setSearchParams({ groupCode: e.target.value })} />
      </form>
      {groups.data && groups.data.length > 0 && <UpcomingMeetings groups={groups.data.filter((g) => !groupCode || g.code === groupCode)} />}
      <Loaded state={meetings} what="meetings" isEmpty={(data) => data.length === 0} empty={<p className="empty">{groupCode ? 'No meetings for this group yet.' : 'No meetings yet.'}</p>}>
        {(data) => (
          <ul className="meeting-list">
            {data.map((m) => (
              <li key={m.id}>
                <Link to={`/meetings/${m.id}`}>
                  <Time value={m.heldOn} /> — {reference.groups.find((g) => g.code === m.groupCode)?.name ?? m.groupCode}
                  {m.chair ? `, chaired by ${m.chair}` : ''}
                </Link>{' '}
                <Badge value={m.status} />
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      {can('inspector') && (
        <section aria-labelledby="schedule" className="panel">
          <h2 id="schedule">Schedule a meeting</h2>
          <ErrorSummary problem={problem} formId="schedule" title="The meeting was not scheduled" />
          <FormErrors formId="schedule" problem={problem}>
            <form onSubmit={(e) => void schedule(e)} noValidate>
              <SelectField name="groupCode" label="Tasking group" required options={reference.groups.map((g) => ({ value: g.code, label: g.name }))} value={values.groupCode ?? (groupCode || reference.groups[0]?.code || '')} onChange={(e) => setValues((v) => ({ ...v, groupCode: e.target.value }))} />
              <div className="row">
                <TextField name="heldOn" label="Held on" type="date" required value={values.heldOn ?? ''} onChange={(e) => setValues((v) => ({ ...v, heldOn: e.target.value }))} />
                <TextField name="chair" label="Chair" required value={values.chair ?? ''} onChange={(e) => setValues((v) => ({ ...v, chair: e.target.value }))} />
              </div>
              {partnerships.length > 1 && (
                <SelectField name="partnership" label="Partnership" required empty="Choose" options={partnerships.map((p) => ({ value: p, label: p }))} value={values.partnership ?? ''} onChange={(e) => setValues((v) => ({ ...v, partnership: e.target.value }))} />
              )}
              <FormButtons busy={busy} submit="Schedule and open" />
            </form>
          </FormErrors>
        </section>
      )}
    </>
  );
}
