import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { ident } from '../sql';
import { streamsToLoad, touchesKinds } from '../streams';
import { IncidentsBatch, foldIncidentEvent, type CountDelta } from './incidents.fold';

/**
 * Incident points, their weekly and monthly counts and the sources' coverage. A batch loads the
 * points it touches, folds its events, writes the points back and moves each count by the
 * difference between the points' keys before and after it (deleting counts that reach 0).
 */
export const incidentsProjection: Projection = {
  name: 'incidents',
  tables: ['incident_points', 'incident_counts_weekly', 'incident_counts_monthly', 'incident_source_coverage'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['incident'])) return;
    const batch = new IncidentsBatch();
    await batch.points.load(tx, streamsToLoad(events).get('incident') ?? []);
    for (const event of events) foldIncidentEvent(batch, event);
    await batch.points.flush(tx);
    const { weekly, monthly } = batch.countDeltas();
    await moveCounts(tx, 'incident_counts_weekly', 'week', weekly);
    await moveCounts(tx, 'incident_counts_monthly', 'month', monthly);
    if (batch.coverage.size > 0) {
      await tx.query(
        `INSERT INTO incident_source_coverage (partnership, source, latest_occurred_at, live)
         SELECT partnership, source, latest_occurred_at, live
           FROM jsonb_to_recordset($1::jsonb) AS c(partnership text, source text, latest_occurred_at timestamptz, live boolean)
         ON CONFLICT (partnership, source) DO UPDATE
           SET latest_occurred_at = GREATEST(incident_source_coverage.latest_occurred_at, EXCLUDED.latest_occurred_at),
               live = incident_source_coverage.live OR EXCLUDED.live`,
        [JSON.stringify([...batch.coverage.values()])],
      );
    }
  },
};

async function moveCounts(tx: EntityManager, table: string, period: 'week' | 'month', deltas: readonly CountDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const t = ident(table);
  const rows = JSON.stringify(deltas);
  const deltasSql = `jsonb_to_recordset($1::jsonb) AS d(partnership text, area_code text, category text, source text, period date, delta integer)`;
  await tx.query(
    `INSERT INTO ${t} (partnership, area_code, category, source, ${period}, count)
     SELECT partnership, area_code, category, source, period, delta FROM ${deltasSql}
     ON CONFLICT (partnership, area_code, category, source, ${period}) DO UPDATE SET count = ${t}.count + EXCLUDED.count`,
    [rows],
  );
  await tx.query(
    `DELETE FROM ${t} c USING ${deltasSql}
      WHERE c.count = 0 AND c.partnership = d.partnership AND c.area_code = d.area_code AND c.category = d.category AND c.source = d.source AND c.${period} = d.period`,
    [rows],
  );
}
