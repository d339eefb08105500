/**
 * One action with the commands the signed-in user may run on it. Officers act only on their own
 * agency's actions (the API answers 403 WRONG_AGENCY otherwise); inspectors reassign, re-date,
 * cancel and release. Every command sends `If-Match` with the revision on screen.
 *
 * After a command the result is announced in the console's live region and focus moves to the
 * card's confirmation. A 409 (changed in another tab or by someone else) says what happened from
 * the action's state now, keeps what was typed, and offers the next step.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { NOT_DONE, readClash, stillPossible, whatHappened, type ActionCommand, type Clash } from './action-clash';
import { useAnnounce } from './announcer';
import { ApiProblem, command, describeProblem, get, type CommandResult } from './api';
import { useSession } from './session-context';
import { Badge, CaseRef, endOfDay, ErrorSummary, FormErrors, isoDay, localToIso, nowLocal, pastDueDate, SelectField, TextArea, TextField, Time } from './components';
import { isOpenAction, type Action } from './model';
import { agencyName, areaName, useReference } from './reference';
import { Link } from './router';
import { DECLINE_REASON_CODES, DISCHARGE_RESULTS, label } from './vocab';

export interface ActionCardProps {
  action: Action;
  /** Called after a successful command, with its result (reload with X-Min-Position). */
  onChanged: (result: CommandResult) => void | Promise<void>;
  /** Called when the user asks to refresh after a conflict: the page reloads what it shows. */
  onStale?: () => void | Promise<void>;
  /** No commands (as-at views, read-only lists). */
  readOnly?: boolean;
  showProblem?: boolean;
  headingLevel?: 'h2' | 'h3' | 'h4';
}

type Panel = 'decline' | 'intervention' | 'discharge' | 'reassign' | 'cancel' | 'release' | 'due-date' | undefined;

export function ActionCard({ action: listed, onChanged, onStale, readOnly, showProblem, headingLevel = 'h3' }: ActionCardProps) {
  const { session, can } = useSession();
  const reference = useReference();
  const announce = useAnnounce();
  const [panel, setPanel] = useState<Panel>();
  const [problem, setProblem] = useState<unknown>();
  const [clash, setClash] = useState<Clash>();
  const [message, setMessage] = useState<string>();
  const [confirmed, setConfirmed] = useState(0);
  const [busy, setBusy] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const confirmation = useRef<HTMLParagraphElement>(null);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  // After a conflict the card shows the action as the API has it now, until the page's copy catches up.
  const fresh = clash?.now;
  const action = fresh && (fresh.revision ?? 0) > (listed.revision ?? -1) ? fresh : listed;
  const title = action.description || `${label(action.tactic.category)}: ${action.tactic.name}`;

  // The button that ran the command may be gone (Claim after a claim): focus goes to the confirmation, not the top of the page.
  useEffect(() => {
    if (confirmed > 0) confirmation.current?.focus();
  }, [confirmed]);

  const me = session.claims;
  const open = isOpenAction(action);
  const ownAgency = can('officer') && me.agency === action.agency;
  const claimedByMe = !!action.claimedBy?.userId && action.claimedBy.userId === me.sub;
  const formId = `action-${action.id.slice(0, 8)}-${panel ?? 'none'}`;

  /** The revision to send in If-Match: from the list when it has one, else the action's ETag. */
  const revision = async (): Promise<number | undefined> => {
    if (action.revision !== undefined) return action.revision;
    try {
      return (await get(`/v1/actions/${action.id}`)).revision;
    } catch {
      return undefined;
    }
  };

  const run = async (path: string, body?: unknown, success?: string) => {
    setBusy(true);
    setProblem(undefined);
    setClash(undefined);
    setMessage(undefined);
    try {
      const result = await command(path, body, { ifMatch: await revision() });
      setPanel(undefined);
      setValues({});
      setMessage(success);
      if (success) announce(`${success} ${title}`);
      await onChanged(result);
      setConfirmed((n) => n + 1);
    } catch (error) {
      // A conflict: what is typed stays in the form; the page is not reloaded under the user.
      if (error instanceof ApiProblem && error.status === 409) setClash(await readClash(error, action, path.split('/').pop() as ActionCommand));
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const refresh = async () => {
    setClash(undefined);
    await onStale?.();
  };

  const submit = (path: string, body: unknown, success: string) => (event: FormEvent) => {
    event.preventDefault();
    void run(path, body, success);
  };

  const Heading = headingLevel;
  const buttons: ReactNode[] = [];
  if (!readOnly && open) {
    if (ownAgency && action.status === 'unclaimed') {
      buttons.push(
        <button key="claim" type="button" className="button" disabled={busy} onClick={() => void run(`/v1/actions/${action.id}/claim`, undefined, 'You claimed this action.')}>
          Claim
        </button>,
        <button key="decline" type="button" className="button button--secondary" aria-expanded={panel === 'decline'} onClick={() => setPanel(panel === 'decline' ? undefined : 'decline')}>
          Decline…
        </button>,
      );
    }
    if (ownAgency && action.status === 'claimed') {
      buttons.push(
        <button key="intervention" type="button" className="button button--secondary" aria-expanded={panel === 'intervention'} onClick={() => setPanel(panel === 'intervention' ? undefined : 'intervention')}>
          Record intervention…
        </button>,
        <button key="discharge" type="button" className="button" aria-expanded={panel === 'discharge'} onClick={() => setPanel(panel === 'discharge' ? undefined : 'discharge')}>
          Discharge…
        </button>,
      );
    }
    if (action.status === 'claimed' && (claimedByMe || can('inspector'))) {
      buttons.push(
        <button key="release" type="button" className="button button--secondary" aria-expanded={panel === 'release'} onClick={() => setPanel(panel === 'release' ? undefined : 'release')}>
          Release claim…
        </button>,
      );
    }
    if (can('inspector')) {
      buttons.push(
        <button key="reassign" type="button" className="button button--secondary" aria-expanded={panel === 'reassign'} onClick={() => setPanel(panel === 'reassign' ? undefined : 'reassign')}>
          Reassign…
        </button>,
        <button key="due" type="button" className="button button--secondary" aria-expanded={panel === 'due-date'} onClick={() => setPanel(panel === 'due-date' ? undefined : 'due-date')}>
          Change due date…
        </button>,
        <button key="cancel" type="button" className="button button--danger" aria-expanded={panel === 'cancel'} onClick={() => setPanel(panel === 'cancel' ? undefined : 'cancel')}>
          Cancel action…
        </button>,
      );
    }
  }

  return (
    // The notice of a clash sits just above the card (outside it, so the card reads as the action alone).
    <div className="action-card-slot" data-slot-for={action.id}>
      {clash && <ClashNotice clash={clash} typed={panel !== undefined && Object.values(values).some((v) => v.trim() !== '')} me={{ sub: me.sub, agency: me.agency }} onRefresh={onStale ? () => void refresh() : undefined} />}
      <article className={`action-card action-card--${action.status}${action.overdue ? ' action-card--overdue' : ''}`} aria-label={`Action for ${action.agency}: ${title}`} data-action-id={action.id} data-agency={action.agency}>
        <header className="action-card__head">
          <div className="action-card__title-group">
            <Heading className="action-card__title">{title}</Heading>
            <CaseRef value={action.reference} />
          </div>
          <div className="badges">
            <Badge value={action.status} />
            {action.overdue && <Badge value="overdue" />}
          </div>
        </header>
        <dl className="facts">
          {showProblem && action.problemId && (
            <div className="facts__wide">
              <dt>Problem</dt>
              <dd>
                <Link to={`/problems/${action.problemId}`}>{action.problemTitle ?? 'Open the problem'}</Link>
                {(action.problemAreaCode || action.problemCategory) && (
                  <span className="action-card__place">
                    {' '}
                    ({[areaName(reference, action.problemAreaCode), label(action.problemCategory)].filter(Boolean).join(', ')})
                  </span>
                )}
              </dd>
            </div>
          )}
          <div>
            <dt>Agency</dt>
            <dd>{agencyName(reference, action.agency)}</dd>
          </div>
          <div>
            <dt>Tactic</dt>
            <dd>
              {label(action.tactic.category)}: {action.tactic.name}
            </dd>
          </div>
          {action.dueBy && (
            <div>
              <dt>Due by</dt>
              <dd>
                <Time value={action.dueBy} />
              </dd>
            </div>
          )}
          {action.claimedBy && action.status !== 'unclaimed' && (
            <div>
              <dt>Claimed by</dt>
              <dd>{action.claimedBy.name ?? action.claimedBy.userId}</dd>
            </div>
          )}
          {action.decline && action.status === 'declined' && (
            <div>
              <dt>Declined</dt>
              <dd>
                {label(action.decline.reasonCode)}
                {action.decline.note ? `: ${action.decline.note}` : ''}
              </dd>
            </div>
          )}
          {action.result && (
            <div>
              <dt>Result</dt>
              <dd>
                {label(action.result)}
                {action.dischargeNote ? `: ${action.dischargeNote}` : ''}
              </dd>
            </div>
          )}
          {action.cancelReason && (
            <div>
              <dt>Cancelled</dt>
              <dd>{action.cancelReason}</dd>
            </div>
          )}
        </dl>
        {action.interventions.length > 0 && (
          <details className="interventions">
            <summary>
              {action.interventions.length} intervention{action.interventions.length === 1 ? '' : 's'}
            </summary>
            <ul>
              {action.interventions.map((i) => (
                <li key={i.id}>
                  <Time value={i.occurredAt} withTime /> — {label(i.tactic.category)}: {i.tactic.name}. {i.description}
                </li>
              ))}
            </ul>
          </details>
        )}
        {buttons.length > 0 && <div className="action-card__buttons">{buttons}</div>}
        {message && (
          <p className="notice notice--success" tabIndex={-1} ref={confirmation}>
            {message}
          </p>
        )}
        <ErrorSummary problem={problem} formId={formId} title="That did not work" />
        {panel && (
          <FormErrors formId={formId} problem={problem}>
            <div className="action-card__panel">
              {panel === 'decline' && (
                <form onSubmit={submit(`/v1/actions/${action.id}/decline`, { reasonCode: values.reasonCode ?? '', note: values.note ?? '' }, 'You declined this action; the inspector will reassign or cancel it.')} noValidate>
                  <SelectField name="reasonCode" label="Reason" required empty="Choose a reason" options={DECLINE_REASON_CODES} value={values.reasonCode ?? ''} onChange={set('reasonCode')} />
                  <TextArea name="note" label="Note" required value={values.note ?? ''} onChange={set('note')} />
                  <FormButtons busy={busy} submit="Decline action" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'intervention' && (
                <form
                  onSubmit={submit(
                    `/v1/actions/${action.id}/interventions`,
                    {
                      tactic: { category: values.tacticCategory ?? action.tactic.category, name: values.tacticName ?? action.tactic.name },
                      description: values.description ?? '',
                      occurredAt: localToIso(values.occurredAt ?? nowLocal()),
                    },
                    'Intervention recorded.',
                  )}
                  noValidate
                >
                  <TacticFields values={values} set={set} fallback={action.tactic} />
                  <TextArea name="description" label="What was done" required value={values.description ?? ''} onChange={set('description')} />
                  <TextField name="occurredAt" label="When" type="datetime-local" required value={values.occurredAt ?? nowLocal()} onChange={set('occurredAt')} />
                  <FormButtons busy={busy} submit="Record intervention" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'discharge' && (
                <form
                  onSubmit={submit(`/v1/actions/${action.id}/discharge`, { result: values.result ?? '', note: values.note ?? '', ...(values.dischargedAt ? { dischargedAt: localToIso(values.dischargedAt) } : {}) }, 'Action discharged.')}
                  noValidate
                >
                  <SelectField name="result" label="Result" required empty="Choose a result" options={DISCHARGE_RESULTS} value={values.result ?? ''} onChange={set('result')} />
                  <TextArea name="note" label="Note" value={values.note ?? ''} onChange={set('note')} />
                  <TextField name="dischargedAt" label="Discharged at" type="datetime-local" hint="Leave empty for now." value={values.dischargedAt ?? ''} onChange={set('dischargedAt')} />
                  <FormButtons busy={busy} submit="Discharge action" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'release' && (
                <form onSubmit={submit(`/v1/actions/${action.id}/release`, { reason: values.reason ?? '' }, 'Claim released.')} noValidate>
                  <TextArea name="reason" label="Reason" required value={values.reason ?? ''} onChange={set('reason')} />
                  <FormButtons busy={busy} submit="Release claim" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'reassign' && (
                <form onSubmit={submit(`/v1/actions/${action.id}/reassign`, { agency: values.agency ?? '', reason: values.reason ?? '' }, 'Action reassigned.')} noValidate>
                  <SelectField
                    name="agency"
                    label="New agency"
                    required
                    empty="Choose an agency"
                    options={reference.agencies.filter((a) => a.active && a.code !== action.agency).map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))}
                    value={values.agency ?? ''}
                    onChange={set('agency')}
                  />
                  <TextArea name="reason" label="Reason" required value={values.reason ?? ''} onChange={set('reason')} />
                  <FormButtons busy={busy} submit="Reassign action" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'due-date' && (
                <form
                  onSubmit={(event: FormEvent) => {
                    const pastDue = pastDueDate(values.dueBy);
                    if (!pastDue) return submit(`/v1/actions/${action.id}/due-date`, { dueBy: values.dueBy ? endOfDay(values.dueBy) : '', reason: values.reason ?? '' }, 'Due date changed.')(event);
                    event.preventDefault();
                    setProblem(pastDue);
                  }}
                  noValidate
                >
                  <TextField name="dueBy" label="New due date" type="date" required min={isoDay(0)} value={values.dueBy ?? ''} onChange={set('dueBy')} />
                  <TextArea name="reason" label="Reason" required value={values.reason ?? ''} onChange={set('reason')} />
                  <FormButtons busy={busy} submit="Change due date" onCancel={() => setPanel(undefined)} />
                </form>
              )}
              {panel === 'cancel' && (
                <form onSubmit={submit(`/v1/actions/${action.id}/cancel`, { reason: values.reason ?? '' }, 'Action cancelled.')} noValidate>
                  <TextArea name="reason" label="Reason for cancelling" required value={values.reason ?? ''} onChange={set('reason')} />
                  <FormButtons busy={busy} submit="Cancel action" danger onCancel={() => setPanel(undefined)} />
                </form>
              )}
            </div>
          </FormErrors>
        )}
      </article>
    </div>
  );
}

/** A conflict, said from the action's state now, with the next step; takes focus like an error summary. */
function ClashNotice({ clash, typed, me, onRefresh }: { clash: Clash; typed: boolean; me: { sub: string; agency: string }; onRefresh?: () => void }) {
  const reference = useReference();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [clash]);
  const possible = stillPossible(clash, me);
  const id = `clash-${clash.now?.id ?? 'action'}`;
  return (
    <div className="error-summary clash" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${id}-title`} data-clash={clash.problem.code}>
      <h2 className="error-summary__title" id={`${id}-title`}>
        {NOT_DONE[clash.command]}
      </h2>
      {clash.command === 'claim' && clash.now?.status === 'claimed' && clash.now.claimedBy?.userId !== me.sub && <p>Someone else claimed this a moment ago.</p>}
      <p>{whatHappened(clash, me.sub, (code) => agencyName(reference, code))}</p>
      <p>
        {possible ? 'The card now shows the action as it is: check it and submit again.' : 'This can no longer be done on this action.'}
        {typed ? ' What you typed is kept below.' : ''}
      </p>
      {onRefresh && (
        <button type="button" className="button button--secondary" onClick={onRefresh}>
          Refresh the list
        </button>
      )}
    </div>
  );
}

export function FormButtons({ busy, submit, onCancel, danger }: { busy: boolean; submit: string; onCancel?: () => void; danger?: boolean }) {
  return (
    <div className="form-actions">
      <button type="submit" className={`button${danger ? ' button--danger' : ''}`} disabled={busy}>
        {busy ? 'Saving…' : submit}
      </button>
      {onCancel && (
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Back
        </button>
      )}
    </div>
  );
}

/** Tactic category and name from the taxonomy; names are sent as the taxonomy spells them. */
export function TacticFields({ values, set, fallback, prefix = 'tactic' }: { values: Record<string, string>; set: (name: string) => (e: { target: { value: string } }) => void; fallback?: { category: string; name: string }; prefix?: string }) {
  const reference = useReference();
  const category = values.tacticCategory ?? fallback?.category ?? '';
  const names = reference.tactics[category] ?? [];
  return (
    <div className="row">
      <SelectField name={`${prefix}.category`} label="Tactic category" required empty="Choose a category" options={Object.keys(reference.tactics)} value={category} onChange={set('tacticCategory')} />
      <SelectField
        name={`${prefix}.name`}
        label="Tactic"
        required
        empty={category ? 'Choose a tactic' : 'Choose a category first'}
        options={names.map((n) => ({ value: n, label: n }))}
        value={values.tacticName ?? (fallback && fallback.category === category ? fallback.name : '')}
        onChange={set('tacticName')}
      />
    </div>
  );
}

export { describeProblem };
