import { useState, type FormEvent } from 'react';
import { command, type CommandResult } from '../api';
import { FormButtons, TacticFields } from '../action-card';
import { endOfDay, ErrorSummary, FormErrors, isoDay, pastDueDate, SelectField, TextArea, TextField } from '../components';
import { useReference } from '../reference';
import { useCommandForm } from './problem-forms';

/** Assign an action to an agency (also used live in meeting mode, with the meeting's id). */
export function AssignActionForm({ problemId, meetingId, onChanged, startOpen = false }: { problemId: string; meetingId?: string; onChanged: (result: CommandResult) => void | Promise<void>; startOpen?: boolean }) {
  const reference = useReference();
  const form = useCommandForm();
  const [open, setOpen] = useState(startOpen);
  const formId = `assign-${problemId.slice(0, 8)}`;
  if (!open) {
    return (
      <button type="button" className="button" aria-expanded={false} onClick={() => setOpen(true)}>
        Assign an action…
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      aria-label="Assign an action"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const v = form.values;
        const pastDue = pastDueDate(v.dueBy);
        if (pastDue) {
          form.setProblem(pastDue);
          return;
        }
        void form.run(
          () =>
            command(`/v1/problems/${problemId}/actions`, {
              agency: v.agency ?? '',
              description: v.description ?? '',
              tactic: { category: v.tacticCategory ?? '', name: v.tacticName ?? '' },
              dueBy: v.dueBy ? endOfDay(v.dueBy) : '',
              ...(meetingId ? { meetingId } : {}),
            }),
          async (r) => {
            setOpen(false);
            await onChanged(r);
          },
        );
      }}
    >
      <h3>Assign an action</h3>
      <ErrorSummary problem={form.problem} formId={formId} title="The action was not assigned" />
      <FormErrors formId={formId} problem={form.problem}>
        <SelectField name="agency" label="Agency" required empty="Choose an agency" options={reference.agencies.filter((a) => a.active).map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))} value={form.values.agency ?? ''} onChange={form.set('agency')} />
        <TextArea name="description" label="What should be done" required value={form.values.description ?? ''} onChange={form.set('description')} />
        <TacticFields values={form.values} set={form.set} />
        <TextField name="dueBy" label="Due by" type="date" required min={isoDay(0)} value={form.values.dueBy ?? ''} onChange={form.set('dueBy')} />
      </FormErrors>
      <FormButtons busy={form.busy} submit="Assign action" onCancel={() => setOpen(false)} />
    </form>
  );
}
