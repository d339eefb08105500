import type { Database, Position } from '@tasking/event-store';
import { query, quoteIdent } from '../sql';
import type { MeetingPack } from './meeting-pack';
import { renderMeetingPackHtml } from './meeting-pack-html';

export interface StoredPack {
  meetingId: string;
  partnership: string;
  position: Position;
  generatedAt: string;
  pack: MeetingPack;
  html: string;
}

export async function storeMeetingPack(db: Database, pack: MeetingPack): Promise<StoredPack> {
  const html = renderMeetingPackHtml(pack);
  await query(
    db,
    `INSERT INTO ${quoteIdent(db.schema)}.meeting_packs (meeting_id, partnership, position, generated_at, pack, html)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (meeting_id) DO UPDATE SET partnership = EXCLUDED.partnership, position = EXCLUDED.position,
       generated_at = EXCLUDED.generated_at, pack = EXCLUDED.pack, html = EXCLUDED.html
     WHERE meeting_packs.position <= EXCLUDED.position`,
    [pack.meeting.id, pack.meeting.partnership, pack.position, pack.generatedAt, JSON.stringify(pack), html],
  );
  return { meetingId: pack.meeting.id, partnership: pack.meeting.partnership, position: pack.position, generatedAt: pack.generatedAt, pack, html };
}

/** False for a pack stored in an earlier shape (before packs carried attendance and in-process figures). */
export const inCurrentShape = (stored: StoredPack): boolean => (stored.pack as Partial<MeetingPack>).inProcess !== undefined;

export async function loadMeetingPack(db: Database, meetingId: string): Promise<StoredPack | undefined> {
  const [row] = await query<{ meeting_id: string; partnership: string; position: string; generated_at: Date; pack: MeetingPack; html: string }>(
    db,
    `SELECT meeting_id, partnership, position, generated_at, pack, html FROM ${quoteIdent(db.schema)}.meeting_packs WHERE meeting_id = $1`,
    [meetingId],
  );
  return row && { meetingId: row.meeting_id, partnership: row.partnership, position: row.position, generatedAt: row.generated_at.toISOString(), pack: row.pack, html: row.html };
}
