/**
 * A realistic event log, fast: the demo seed (apps/api/src/seed/demo-seed.ts) is run once through
 * the command layer into a scratch schema, and its events become a template that is cloned as
 * many times as needed straight into the store, in big multi-stream appends with the same
 * expected revisions the commands had. Each copy gets its own ids (every uuid rewritten), its own
 * place in time (shifted back by whole days, up to three years) and one of 16 sets of areas and
 * tasking groups (`northfield-estate-3`, ...), so the read models see a partnership with ~100
 * areas and years of history rather than one demo repeated. The event shapes are the seed's, so
 * they follow the domain as it changes.
 */
import { randomUUID } from 'node:crypto';
import type { AppendRequest, EventStore, EventToAppend, RecordedEvent } from '@tasking/event-store';
import { seedDemo } from '../../apps/api/src/seed/demo-seed';
import { PARTNERSHIP, openInProcessApp } from './app';
import { dropSchema, freshSchema } from './database';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const REFERENCE_KINDS = new Set(['agency', 'area', 'group']);
export const AREA_VARIANTS = 16;
const DAY = 86_400_000;

/** Parts of a JSON text or stream name: literal text, or a slot filled per copy. */
type Part = string | { uuid: string } | { time: number } | { date: number } | { code: string };

interface TemplateEvent {
  stream: Part[];
  streamKey: string;
  type: string;
  revision: number;
  eventId: Part[];
  payload: Part[];
}

interface Block {
  events: TemplateEvent[];
  /** Revision of the stream before the block (-1: no stream). */
  expected: number;
}

export interface Template {
  /** Agencies, areas and groups as the seed registered them. */
  reference: RecordedEvent[];
  /** Everything else, in log order, as segments of blocks (one stream each, no stream twice in a segment). */
  segments: Block[][];
  events: number;
  problems: number;
  actions: number;
  codes: string[];
  seedSeconds: number;
}

/** Runs the demo seed into a scratch schema and turns its log into a template. */
export async function captureTemplate(databaseUrl: string, env: Record<string, string>): Promise<Template> {
  const schema = freshSchema('seed');
  const t0 = performance.now();
  const app = await openInProcessApp(env, schema, { runProjections: false });
  let events: RecordedEvent[];
  try {
    await seedDemo(app.app, { partnership: PARTNERSHIP, now: new Date(), evidence: false });
    events = [];
    for (let batch = await app.runtime.store.readAll('', 10_000); batch.length > 0; batch = await app.runtime.store.readAll(batch[batch.length - 1]!.position, 10_000)) {
      events.push(...batch);
    }
  } finally {
    await app.close();
    await dropSchema(databaseUrl, schema);
  }
  const seedSeconds = (performance.now() - t0) / 1000;
  const kind = (e: RecordedEvent) => e.stream.slice(0, e.stream.indexOf('-'));
  const reference = events.filter((e) => REFERENCE_KINDS.has(kind(e)));
  const codes = reference.filter((e) => kind(e) === 'area' || kind(e) === 'group').map((e) => String(e.data['code']));
  const codePattern = codes.length ? new RegExp(`"(${codes.map(escape).join('|')})"`, 'g') : undefined;
  const body = events.filter((e) => !REFERENCE_KINDS.has(kind(e))).map((e) => compile(e, codePattern));
  checkUuidTails(body);

  const segments: Block[][] = [];
  let segment = new Map<string, Block>();
  let last: string | undefined;
  for (const event of body) {
    if (event.streamKey === last) {
      segment.get(last)!.events.push(event);
      continue;
    }
    if (segment.has(event.streamKey)) {
      segments.push([...segment.values()]);
      segment = new Map();
    }
    segment.set(event.streamKey, { events: [event], expected: event.revision - 1 });
    last = event.streamKey;
  }
  if (segment.size > 0) segments.push([...segment.values()]);
  return {
    reference,
    segments,
    events: body.length,
    problems: body.filter((e) => e.type === 'ProblemRaised').length,
    actions: body.filter((e) => e.type === 'ActionAssigned').length,
    codes,
    seedSeconds,
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(event: RecordedEvent, codePattern: RegExp | undefined): TemplateEvent {
  return {
    stream: split(event.stream, false, undefined),
    streamKey: event.stream,
    type: event.type,
    revision: event.revision,
    eventId: [{ uuid: event.eventId }],
    payload: split(JSON.stringify({ d: event.data, m: event.metadata }), true, codePattern),
  };
}

/** Splits text at uuids (anywhere) and, in JSON, at whole-string times, dates and place codes. */
function split(text: string, json: boolean, codePattern: RegExp | undefined): Part[] {
  const patterns = [UUID.source];
  if (json) {
    patterns.push(`"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z"`, `"\\d{4}-\\d{2}-\\d{2}"`);
    if (codePattern) patterns.push(codePattern.source);
  }
  const all = new RegExp(patterns.map((p) => `(${p})`).join('|'), 'g');
  const parts: Part[] = [];
  let at = 0;
  for (const match of text.matchAll(all)) {
    if (match.index! > at) parts.push(text.slice(at, match.index));
    const [whole, uuid, time, date] = match;
    if (uuid) parts.push({ uuid });
    else if (time) parts.push({ time: Date.parse(time.slice(1, -1)) });
    else if (date) parts.push({ date: Date.parse(`${date.slice(1, -1)}T00:00:00Z`) });
    else parts.push({ code: whole.slice(1, -1) });
    at = match.index! + whole.length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** Copies replace a uuid's first 8 hex digits; the other 24 must tell the template's uuids apart. */
function checkUuidTails(body: TemplateEvent[]): void {
  const tails = new Map<string, string>();
  for (const event of body) {
    for (const part of [...event.stream, ...event.eventId, ...event.payload]) {
      if (typeof part === 'object' && 'uuid' in part) {
        const seen = tails.get(part.uuid.slice(8));
        if (seen !== undefined && seen !== part.uuid) throw new Error(`template uuids ${seen} and ${part.uuid} share their tail`);
        tails.set(part.uuid.slice(8), part.uuid);
      }
    }
  }
}

interface Copy {
  prefix: string;
  shiftMs: number;
  variant: number;
}

const variantCode = (code: string, variant: number) => (variant === 0 ? code : `${code}-${variant}`);

function render(parts: readonly Part[], copy: Copy): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if ('uuid' in part) out += copy.prefix + part.uuid.slice(8);
    else if ('time' in part) out += `"${new Date(part.time + copy.shiftMs).toISOString()}"`;
    else if ('date' in part) out += `"${new Date(part.date + copy.shiftMs).toISOString().slice(0, 10)}"`;
    else out += `"${variantCode(part.code, copy.variant)}"`;
  }
  return out;
}

function toAppend(event: TemplateEvent, copy: Copy): EventToAppend {
  const { d, m } = JSON.parse(render(event.payload, copy)) as { d: Record<string, unknown>; m: Record<string, unknown> };
  return { eventId: render(event.eventId, copy), type: event.type, data: d, metadata: m };
}

/** The copy `index` (0-based): its uuid prefix, shift back in time (whole days, up to ~3 years) and area set. */
function copyOf(index: number, spanDays: number): Copy {
  return {
    prefix: (index + 1).toString(16).padStart(8, '0'),
    shiftMs: -((index * 389) % spanDays) * DAY,
    variant: index % AREA_VARIANTS,
  };
}

export interface GeneratedLog {
  events: number;
  copies: number;
  problems: number;
  actions: number;
  areas: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Appends about `target` events: the reference data (agencies once, areas and groups per area
 * set), then copies of the template, `writers` appenders in parallel on disjoint copies, each
 * append holding one segment of many copies (up to ~2,000 events).
 */
export async function generateLog(store: EventStore, template: Template, target: number, writers = 2): Promise<GeneratedLog> {
  const t0 = performance.now();
  let events = 0;
  // Reference data: agencies once, each area set's areas and groups with their codes renamed.
  const kind = (e: RecordedEvent) => e.stream.slice(0, e.stream.indexOf('-'));
  const codePattern = template.codes.length ? new RegExp(`"(${template.codes.map(escape).join('|')})"`, 'g') : undefined;
  const reference: AppendRequest[] = [];
  for (const event of template.reference) {
    const variants = kind(event) === 'agency' ? [0] : Array.from({ length: AREA_VARIANTS }, (_, v) => v);
    for (const variant of variants) {
      const copy: Copy = { prefix: (0xf0000000 + variant).toString(16), shiftMs: 0, variant };
      const compiled = compile(event, codePattern);
      const stream = kind(event) === 'agency' ? event.stream : `${kind(event)}-${variantCode(String(event.data['code']), variant)}`;
      reference.push({ stream, expectedRevision: 'no-stream', events: [{ ...toAppend(compiled, copy), eventId: randomUUID() }] });
    }
  }
  await store.append(reference);
  events += reference.length;

  const copies = Math.max(1, Math.ceil((target - events) / template.events));
  const spanDays = 3 * 365;
  const perAppend = Math.max(1, Math.floor(2000 / Math.max(...template.segments.map((s) => s.reduce((n, b) => n + b.events.length, 0)))));
  const chunk = perAppend;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const first = next;
      if (first >= copies) return;
      next = Math.min(copies, first + chunk);
      const chunkCopies = Array.from({ length: next - first }, (_, i) => copyOf(first + i, spanDays));
      for (const segment of template.segments) {
        for (let i = 0; i < chunkCopies.length; i += perAppend) {
          const requests: AppendRequest[] = [];
          for (const copy of chunkCopies.slice(i, i + perAppend)) {
            for (const block of segment) {
              requests.push({
                stream: render(block.events[0]!.stream, copy),
                expectedRevision: block.expected < 0 ? 'no-stream' : block.expected,
                events: block.events.map((e) => toAppend(e, copy)),
              });
            }
          }
          await store.append(requests);
          for (const request of requests) events += request.events.length;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    events,
    copies,
    problems: copies * template.problems,
    actions: copies * template.actions,
    areas: AREA_VARIANTS * template.reference.filter((e) => kind(e) === 'area').length,
    seconds: Math.round(seconds * 10) / 10,
    eventsPerSecond: Math.round(events / seconds),
  };
}
