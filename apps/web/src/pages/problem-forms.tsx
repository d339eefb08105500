/** The problem page's command forms: prioritise, analyse, review, close and reopen. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiProblem, command, type CommandResult } from '../api';
import { FormButtons } from '../action-card';
import { ErrorSummary, FormErrors, Notice, SelectField, TextArea, TextField, localToIso } from '../components';
import type { Problem } from '../model';
import { DISPLACEMENTS, OUTCOMES, PRIORITIES, RAGS } from '../vocab';

interface ProblemFormProps {
  problem: Problem;
  onChanged: (result: CommandResult, text?: string) => void | Promise<void>;
  onStale?: () => void | Promise<void>;
}

export function useCommandForm(onStale?: () => void | Promise<void>) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const run = async (send: () => Promise<CommandResult>, done: (r: CommandResult) => void | Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await send();
      setValues({});
      await done(result);
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiProblem && error.code === 'WRONG_EXPECTED_REVISION') await onStale?.();
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, problem, setProblem, busy, run };
}

function Collapsible({ label: text, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return open ? <div className="inline-form">{children(() => setOpen(false))}</div> : (
    <button type="button" className="button button--secondary" aria-expanded={false} onClick={() => setOpen(true)}>
      {text}
    </button>
  );
}

/**
 * A problem command behind a button: `send` on submit; on success the form closes and
 * `onChanged` hears of it (with `text`, the notice to show).
 */
function CommandForm({
  label,
  formId,
  form,
  send,
  onChanged,
  text,
  submit,
  title,
  notice,
  children,
}: {
  label: string;
  formId: string;
  form: ReturnType<typeof useCommandForm>;
  send: () => Promise<CommandResult>;
  onChanged: ProblemFormProps['onChanged'];
  text?: string;
  submit: string;
  title?: string;
  notice?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Collapsible label={label}>
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void form.run(send, async (r) => {
              close();
              await onChanged(r, text);
            });
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} title={title} />
          {notice}
          <FormErrors formId={formId} problem={form.problem}>
            {children}
          </FormErrors>
          <FormButtons busy={form.busy} submit={submit} onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

export function PrioritiseForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const send = () => {
    const harm = form.values.harmScore?.trim();
    return command(`/v1/problems/${problem.id}/prioritise`, { priority: form.values.priority ?? problem.priority ?? '', ...(harm ? { harmScore: Number(harm) } : {}), rationale: form.values.rationale ?? '' }, { ifMatch: problem.revision });
  };
  return (
    <CommandForm label="Prioritise…" formId="prioritise" form={form} send={send} onChanged={onChanged} text="Priority recorded." submit="Save priority">
      <div className="row">
        <SelectField name="priority" label="Priority" required options={PRIORITIES} empty="Choose" value={form.values.priority ?? problem.priority ?? ''} onChange={form.set('priority')} />
        <TextField name="harmScore" label="Harm score" inputMode="numeric" hint="0 to 100" value={form.values.harmScore ?? (problem.harmScore?.toString() ?? '')} onChange={form.set('harmScore')} />
      </div>
      <TextArea name="rationale" label="Rationale" required value={form.values.rationale ?? ''} onChange={form.set('rationale')} />
    </CommandForm>
  );
}

export function AnalysisForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const current = problem.analysis;
  const send = () => {
    const v = form.values;
    const hypotheses = (v.hypotheses ?? current?.hypotheses.join('\n') ?? '')
      .split('\n')
      .map((h) => h.trim())
      .filter(Boolean);
    const body = {
      ...((v.victim ?? current?.victim) ? { victim: v.victim ?? current?.victim } : {}),
      ...((v.offender ?? current?.offender) ? { offender: v.offender ?? current?.offender } : {}),
      ...((v.location ?? current?.location) ? { location: v.location ?? current?.location } : {}),
      ...(hypotheses.length ? { hypotheses } : {}),
    };
    return command(`/v1/problems/${problem.id}/analysis`, body, { ifMatch: problem.revision });
  };
  return (
    <CommandForm label={current ? 'Update analysis…' : 'Record analysis…'} formId="analysis" form={form} send={send} onChanged={onChanged} text="Analysis recorded." submit="Save analysis">
      <p className="hint">The problem analysis triangle. Describe, do not name, people: named people are recorded as subjects.</p>
      <TextArea name="victim" label="Victim" value={form.values.victim ?? current?.victim ?? ''} onChange={form.set('victim')} />
      <TextArea name="offender" label="Offender" value={form.values.offender ?? current?.offender ?? ''} onChange={form.set('offender')} />
      <TextArea name="location" label="Location" value={form.values.location ?? current?.location ?? ''} onChange={form.set('location')} />
      <TextArea name="hypotheses" label="Hypotheses" hint="One per line." value={form.values.hypotheses ?? current?.hypotheses.join('\n') ?? ''} onChange={form.set('hypotheses')} />
    </CommandForm>
  );
}

export function ReviewForm({ problem, onChanged }: ProblemFormProps) {
  const form = useCommandForm();
  const send = () => command(`/v1/problems/${problem.id}/reviews`, { rag: form.values.rag ?? '', note: form.values.note ?? '' });
  return (
    <CommandForm label="Record a review…" formId="review" form={form} send={send} onChanged={onChanged} text="Review recorded." submit="Save review">
      <SelectField name="rag" label="RAG rating" required empty="Choose" options={RAGS.map((r) => ({ value: r, label: { red: 'Red: the plan will not deliver', amber: 'Amber: delivers a significant part', green: 'Green: expected to deliver' }[r]! }))} value={form.values.rag ?? ''} onChange={form.set('rag')} />
      <TextArea name="note" label="Note" required value={form.values.note ?? ''} onChange={form.set('note')} />
    </CommandForm>
  );
}

export function CloseForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const outstanding = problem.actions.filter((a) => ['unclaimed', 'claimed', 'declined'].includes(a.status));
  const override = form.values.override === 'yes';
  const send = () => {
    const v = form.values;
    const body = {
      outcome: v.outcome ?? '',
      assessment: v.assessment ?? '',
      ...(v.displacement ? { displacement: v.displacement } : {}),
      ...(v.diffusion ? { diffusionOfBenefits: v.diffusion === 'yes' } : {}),
      ...(override ? { override: true, overrideReason: v.overrideReason ?? '' } : {}),
      ...(v.closedAt ? { closedAt: localToIso(v.closedAt) } : {}),
    };
    return command(`/v1/problems/${problem.id}/close`, body, { ifMatch: problem.revision });
  };
  const notice = outstanding.length > 0 && (
    <Notice kind="warning">
      {outstanding.length} action{outstanding.length === 1 ? ' is' : 's are'} still open. Close with an override (and a reason) to cancel {outstanding.length === 1 ? 'it' : 'them'}.
    </Notice>
  );
  return (
    <CommandForm label="Close with an outcome…" formId="close" form={form} send={send} onChanged={onChanged} submit="Close problem" title="The problem was not closed" notice={notice}>
      <SelectField name="outcome" label="Outcome" required empty="Choose an outcome" hint="Eck and Spelman’s impact scale; the first four count as success." options={OUTCOMES} value={form.values.outcome ?? ''} onChange={form.set('outcome')} />
      <TextArea name="assessment" label="Assessment" required value={form.values.assessment ?? ''} onChange={form.set('assessment')} />
      <div className="row">
        <SelectField name="displacement" label="Displacement" empty="None observed" options={DISPLACEMENTS} value={form.values.displacement ?? ''} onChange={form.set('displacement')} />
        <SelectField name="diffusionOfBenefits" label="Diffusion of benefits" empty="Not assessed" options={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]} value={form.values.diffusion ?? ''} onChange={form.set('diffusion')} />
      </div>
      {outstanding.length > 0 && (
        <>
          <SelectField name="override" label="Close with actions still open?" options={[{ value: 'no', label: 'No' }, { value: 'yes', label: 'Yes: cancel the open actions' }]} value={form.values.override ?? 'no'} onChange={form.set('override')} />
          {override && <TextArea name="overrideReason" label="Reason for the override" required value={form.values.overrideReason ?? ''} onChange={form.set('overrideReason')} />}
        </>
      )}
      <TextField name="closedAt" label="Closed at" type="datetime-local" hint="Leave empty for now." value={form.values.closedAt ?? ''} onChange={form.set('closedAt')} />
    </CommandForm>
  );
}

export function ReopenForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const send = () => command(`/v1/problems/${problem.id}/reopen`, { reason: form.values.reason ?? '' }, { ifMatch: problem.revision });
  return (
    <CommandForm label="Reopen…" formId="reopen" form={form} send={send} onChanged={onChanged} submit="Reopen problem">
      <TextArea name="reason" label="Why reopen" required value={form.values.reason ?? ''} onChange={form.set('reason')} />
    </CommandForm>
  );
}
