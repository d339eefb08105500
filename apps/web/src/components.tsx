/** Accessible building blocks: every input has a label, errors are linked to their fields, status is announced. */
import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiProblem, describeProblem, type FieldError } from './api';
import { charactersLeft, humanMessage, limitOf } from './field-messages';
import type { AsyncState } from './hooks';
import { label as labelOf } from './vocab';

// --- forms ---

/** Field errors of the form being shown, keyed by the API's field path (`location.areaCode`). */
const FormErrorsContext = createContext<{ formId: string; errors: FieldError[] }>({ formId: 'form', errors: [] });

export const fieldDomId = (formId: string, field: string) => `${formId}-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function FormErrors({ formId, problem, children }: { formId: string; problem: unknown; children: ReactNode }) {
  const errors = problem instanceof ApiProblem ? problem.errors : [];
  return <FormErrorsContext.Provider value={{ formId, errors }}>{children}</FormErrorsContext.Provider>;
}

function useField(name: string) {
  const { formId, errors } = useContext(FormErrorsContext);
  const id = fieldDomId(formId, name);
  // An error on `location` also belongs to `location.areaCode`'s neighbours; match exact or prefix.
  const error = errors.find((e) => e.field === name || e.field.startsWith(`${name}.`) || e.field.startsWith(`${name}[`));
  return { id, error };
}

interface FieldFrameProps {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** The value's length and the API's limit: a counter under the field, before submit. */
  count?: { length: number; limit: number };
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string; required?: boolean }) => ReactNode;
}

function FieldFrame({ name, label, hint, required, count, children }: FieldFrameProps) {
  const { id, error } = useField(name);
  const counter = count ? charactersLeft(count.length, count.limit) : undefined;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', counter ? `${id}-count` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : <span className="optional"> (optional)</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {humanMessage(error.field, error.message)}
        </p>
      )}
      {children({ id, 'aria-invalid': error || counter?.over ? true : undefined, 'aria-describedby': describedBy, required })}
      {counter && (
        <p className={`counter${counter.over ? ' counter--over' : ''}`} id={`${id}-count`}>
          {counter.text}
        </p>
      )}
    </div>
  );
}

type Common = { name: string; label: string; hint?: string; required?: boolean };

/** The counter of a free-text field whose value the form holds (the API's limit, from field-messages). */
function countOf(name: string, value: unknown, type?: string): { length: number; limit: number } | undefined {
  const limit = limitOf(name);
  if (limit === undefined || typeof value !== 'string' || (type !== undefined && type !== 'text')) return undefined;
  return { length: value.length, limit };
}

export function TextField({ name, label, hint, required, ...input }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'>) {
  return (
    <FieldFrame name={name} label={label} hint={hint} required={required} count={countOf(name, input.value, input.type)}>
      {(a11y) => <input name={name} {...input} {...a11y} />}
    </FieldFrame>
  );
}

export function TextArea({ name, label, hint, required, ...input }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id'>) {
  return (
    <FieldFrame name={name} label={label} hint={hint} required={required} count={countOf(name, input.value)}>
      {(a11y) => <textarea name={name} rows={3} {...input} {...a11y} />}
    </FieldFrame>
  );
}

export function SelectField({
  name,
  label,
  hint,
  required,
  options,
  empty,
  ...select
}: Common & { options: (string | { value: string; label: string })[]; empty?: string } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id'>) {
  return (
    <FieldFrame name={name} label={label} hint={hint} required={required}>
      {(a11y) => (
        <select name={name} {...select} {...a11y}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((o) =>
            typeof o === 'string' ? (
              <option key={o} value={o}>
                {labelOf(o)}
              </option>
            ) : (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ),
          )}
        </select>
      )}
    </FieldFrame>
  );
}

/** Focuses the input of an API field path, or the first input under it (`location` -> `location.areaCode`). */
function focusField(event: { preventDefault: () => void }, formId: string, field: string) {
  const exact = document.getElementById(fieldDomId(formId, field));
  const target = exact ?? document.querySelector<HTMLElement>(`[id^="${fieldDomId(formId, field)}-"]`);
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

/**
 * The API's refusal, in plain words, with links to the fields it names. Takes focus when it
 * appears so keyboard and screen-reader users meet it first.
 */
export function ErrorSummary({ problem, formId, title = 'There is a problem' }: { problem: unknown; formId?: string; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  // One line per field (the API may give a field two messages, as "must be a string" and "should not be empty").
  const errors = (problem instanceof ApiProblem ? problem.errors : []).filter((e, i, all) => all.findIndex((other) => other.field === e.field) === i);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={formId ? `${formId}-error-title` : undefined}>
      <h2 className="error-summary__title" id={formId ? `${formId}-error-title` : undefined}>
        {title}
      </h2>
      <p>{describeProblem(problem)}</p>
      {errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              {formId ? (
                <a href={`#${fieldDomId(formId, e.field)}`} onClick={(event) => focusField(event, formId, e.field)}>
                  {humanMessage(e.field, e.message)}
                </a>
              ) : (
                humanMessage(e.field, e.message)
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// --- feedback ---

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice--${kind}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function LoadError({ error, what, retry }: { error: unknown; what: string; retry?: () => void }) {
  return (
    <div className="notice notice--warning" role="alert">
      <p>
        Could not load {what}. {describeProblem(error)}
      </p>
      {retry && (
        <button type="button" className="button button--secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * What a loaded `state` shows: its error (with Try again), `Loading` until its first data, `empty`
 * when `isEmpty` says so, else `children` with the data. `what` names it in both messages unless
 * `loading` names it otherwise while loading.
 */
export function Loaded<T>({
  state,
  what,
  loading = what,
  isEmpty,
  empty,
  children,
}: {
  state: AsyncState<T>;
  what: string;
  loading?: string;
  isEmpty?: (data: NonNullable<T>) => boolean;
  empty?: ReactNode;
  children: (data: NonNullable<T>) => ReactNode;
}) {
  if (state.error) return <LoadError error={state.error} what={what} retry={() => void state.reload()} />;
  if (!state.data) return <Loading what={loading} />;
  return <>{isEmpty?.(state.data) ? empty : children(state.data)}</>;
}

/** A status in words with a colour cue (never colour alone). */
export function Badge({ value, kind }: { value: string | undefined; kind?: string }) {
  if (!value) return null;
  return <span className={`badge badge--${kind ?? value}`}>{labelOf(value)}</span>;
}

/** A case reference people can say aloud (`SAFE-2026-0142`, an action's `SAFE-2026-0142/3`); nothing when there is none. */
export function CaseRef({ value }: { value: string | undefined }) {
  if (!value) return null;
  return (
    <span className="case-ref">
      <span className="visually-hidden">Reference </span>
      {value}
    </span>
  );
}

export function RagBadge({ rag }: { rag: string | undefined }) {
  if (!rag) return <span className="muted">No review</span>;
  return <span className={`badge badge--rag-${rag}`}>RAG: {labelOf(rag)}</span>;
}

/** A button that shows and hides an inline panel (forms for one action or problem). */
export function Disclosure({ label, children, className, open: initiallyOpen = false }: { label: string; children: (close: () => void) => ReactNode; className?: string; open?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const id = useId();
  return (
    <div className={`disclosure ${className ?? ''}`}>
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}
      </button>
      <div id={id} hidden={!open} className="disclosure__panel">
        {open && children(() => setOpen(false))}
      </div>
    </div>
  );
}

// --- tables ---

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  sortValue?: (row: T) => string | number;
  numeric?: boolean;
}

export function SortableTable<T>({ caption, columns, rows, rowKey, initialSort }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; initialSort?: { key: string; dir: 'asc' | 'desc' } }) {
  const [sort, setSort] = useState(initialSort);
  const column = columns.find((c) => c.key === sort?.key);
  const sorted = column?.sortValue
    ? [...rows].sort((a, b) => {
        const x = column.sortValue!(a);
        const y = column.sortValue!(b);
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return sort!.dir === 'asc' ? order : -order;
      })
    : rows;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} scope="col" aria-sort={active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : c.sortValue ? 'none' : undefined} className={c.numeric ? 'num' : undefined}>
                  {c.sortValue ? (
                    <button type="button" className="sort-button" onClick={() => setSort({ key: c.key, dir: active && sort!.dir === 'desc' ? 'asc' : 'desc' })}>
                      {c.header}
                      <span aria-hidden="true">{active ? (sort!.dir === 'asc' ? ' ▲' : ' ▼') : ' ⇅'}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- formatting ---

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatDate(value: string | undefined): string {
  if (!value) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : dateFormat.format(time);
}

export function formatDateTime(value: string | undefined): string {
  if (!value) return '';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : dateTimeFormat.format(time);
}

export function Time({ value, withTime = false }: { value: string | undefined; withTime?: boolean }) {
  if (!value) return null;
  return <time dateTime={value}>{withTime ? formatDateTime(value) : formatDate(value)}</time>;
}

/** `yyyy-mm-dd` of a date `days` from now, local time (for date inputs). */
export function isoDay(days = 0, from = new Date()): string {
  const d = new Date(from.getTime() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A due date already past, refused before it is sent (the API answers DUE_DATE_IN_PAST too): the
 * problem the form shows, or undefined when the day is today or later.
 */
export function pastDueDate(day: string | undefined, today = isoDay(0)): ApiProblem | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || day >= today) return undefined;
  const message = 'The due date has passed: choose today or a later date';
  return new ApiProblem(400, 'DUE_DATE_IN_PAST', 'The due date has passed', message, [{ field: 'dueBy', message }]);
}

/** A date input's `yyyy-mm-dd` as the end of that local day, ISO with offset. */
export function endOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d!, 23, 59, 0).toISOString();
}

/** A `datetime-local` value to ISO 8601 with offset. */
export function localToIso(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

export function nowLocal(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
