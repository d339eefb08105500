/**
 * The API refuses a bad field with problem+json `errors: [{field, message}]`, whose messages are
 * written for developers ("category must be one of the following values: …"). The console shows
 * each field's error in plain words instead, GOV.UK style ("Choose a category"), and shows text
 * limits before submit. The limits are the API's (`LIMITS` in the commands' request validation).
 */

type Kind = 'text' | 'choice' | 'date' | 'datetime' | 'number';

interface FieldText {
  /** As it starts a sentence: "Title". */
  name: string;
  /** After "Enter" or "Choose": "a title". */
  noun: string;
  kind: Kind;
  /** Most characters the API takes. */
  limit?: number;
  /** For numbers: the range the API takes. */
  range?: [number, number];
}

const TITLE = 200;
const NAME = 200;
const REASON = 1000;
const TEXT = 5000;
const ADDRESS = 500;
const TACTIC = 100;
const CODE = 64;

/** The longest search text `GET /v1/problems?q=` takes. */
export const SEARCH_MAX_LENGTH = 200;

const text = (name: string, noun: string, limit: number): FieldText => ({ name, noun, kind: 'text', limit });
const choice = (name: string, noun: string): FieldText => ({ name, noun, kind: 'choice' });
const when = (name: string, noun: string, kind: 'date' | 'datetime' = 'datetime'): FieldText => ({ name, noun, kind });

/** By the API's field path; a path not listed falls back to its last part (`tactic.name` -> `name` is not used: tactic fields are listed). */
const FIELDS: Record<string, FieldText> = {
  title: text('Title', 'a title', TITLE),
  description: text('Description', 'a description', TEXT),
  category: choice('Category', 'a category'),
  location: choice('Area', 'an area'),
  'location.areaCode': choice('Area', 'an area'),
  'location.address': text('Address or place', 'an address or place', ADDRESS),
  'location.lat': { name: 'Latitude', noun: 'a latitude', kind: 'number', range: [-90, 90] },
  'location.lng': { name: 'Longitude', noun: 'a longitude', kind: 'number', range: [-180, 180] },
  priority: choice('Priority', 'a priority'),
  source: choice('Source', 'a source'),
  groupCode: choice('Tasking group', 'a tasking group'),
  partnership: choice('Partnership', 'a partnership'),
  raisedAt: when('Raised at', 'when the problem was raised'),
  agency: choice('Agency', 'an agency'),
  tactic: choice('Tactic', 'a tactic'),
  'tactic.category': choice('Tactic category', 'a tactic category'),
  'tactic.name': { ...choice('Tactic', 'a tactic'), limit: TACTIC },
  dueBy: when('Due date', 'a due date', 'date'),
  reasonCode: choice('Reason', 'a reason'),
  note: text('Note', 'a note', TEXT),
  result: choice('Result', 'a result'),
  reason: text('Reason', 'a reason', REASON),
  occurredAt: when('When', 'when it was done'),
  dischargedAt: when('Discharged at', 'when it was discharged'),
  outcome: choice('Outcome', 'an outcome'),
  assessment: text('Assessment', 'an assessment', TEXT),
  displacement: choice('Displacement', 'a displacement'),
  diffusionOfBenefits: choice('Diffusion of benefits', 'whether benefits diffused'),
  overrideReason: text('Reason for the override', 'a reason for the override', REASON),
  closedAt: when('Closed at', 'when the problem was closed'),
  rag: choice('RAG rating', 'a RAG rating'),
  rationale: text('Rationale', 'a rationale', REASON),
  harmScore: { name: 'Harm score', noun: 'a harm score', kind: 'number', range: [0, 100] },
  victim: text('Victim', 'the victim analysis', TEXT),
  offender: text('Offender', 'the offender analysis', TEXT),
  // One hypothesis a line, each up to 1,000 characters: no single counter fits.
  hypotheses: { name: 'Hypotheses', noun: 'the hypotheses', kind: 'text' },
  minutesNote: text('Minutes note', 'a minutes note', TEXT),
  chair: text('Chair', 'the chair’s name', NAME),
  heldOn: when('Held on', 'the meeting date', 'date'),
  name: text('Name', 'a name', NAME),
  code: text('Code', 'a code', CODE),
  kind: choice('Kind', 'a kind'),
  groupCodes: choice('Tasking group', 'a tasking group'),
};

/** `attendees[0].name` -> `attendees.name`, `hypotheses[2]` -> `hypotheses`. */
const withoutIndexes = (field: string) => field.replace(/\[\d+\]/g, '');

function fieldText(field: string): FieldText | undefined {
  const path = withoutIndexes(field);
  return FIELDS[path] ?? FIELDS[path.split('.').pop() ?? path];
}

/** The most characters the API takes in this field (shown as a counter), if it is free text. */
export function limitOf(field: string): number | undefined {
  const spec = fieldText(field);
  return spec && spec.kind === 'text' ? spec.limit : undefined;
}

const grouped = (n: number) => n.toLocaleString('en-GB');

/** The API's message for a field, in plain words. */
export function humanMessage(field: string, message: string): string {
  if (message.startsWith('unknown field')) return `This form sent a field the service does not take (${field}): reload the page and try again.`;
  const spec = fieldText(field);
  if (!spec) return message;
  const tooLong = /shorter than or equal to (\d+)/.exec(message);
  if (tooLong) return `${spec.name} must be ${grouped(Number(tooLong[1]))} characters or fewer`;
  switch (spec.kind) {
    case 'choice':
      return `Choose ${spec.noun}`;
    case 'date':
      return /empty|must be a string/.test(message) ? `Enter ${spec.noun}` : `Enter ${spec.noun} as a real date`;
    case 'datetime':
      return /empty|must be a string/.test(message) ? `Enter ${spec.noun}` : `Enter ${spec.noun} as a real date and time`;
    case 'number':
      return spec.range ? `Enter ${spec.noun} between ${spec.range[0]} and ${spec.range[1]}` : `Enter ${spec.noun} as a number`;
    default:
      if (/must be (an agency |a partnership |a )?code/.test(message)) return `Enter ${spec.noun} of letters, digits, "-" or "_" (up to ${CODE})`;
      return /empty|must be a string|must be an array|longer than or equal to/.test(message) ? `Enter ${spec.noun}` : `${spec.name}: ${message}`;
  }
}

/** What a counter under a text field says: characters left, or how many too many. */
export function charactersLeft(length: number, limit: number): { text: string; over: boolean } {
  const left = limit - length;
  if (left >= 0) return { text: `You have ${grouped(left)} character${left === 1 ? '' : 's'} remaining`, over: false };
  return { text: `You have ${grouped(-left)} character${left === -1 ? '' : 's'} too many`, over: true };
}
