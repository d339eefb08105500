/** The problem page's evidence: how many incidents are linked to it, and how many a week. */
import type { ProblemIncidents } from '../incident-model';
import { BarChart } from '../lazy-views';

export function LinkedIncidents({ incidents }: { incidents: ProblemIncidents }) {
  const labels = incidents.byWeek.map((w) => w.week);
  const values = incidents.byWeek.map((w) => w.count);
  return (
    <section aria-labelledby="incidents" className="panel">
      <h2 id="incidents">Incidents</h2>
      <dl className="figures" aria-label="Incidents linked to this problem">
        <div>
          <dt>Linked incidents</dt>
          <dd data-figure="linked-incidents">{incidents.count}</dd>
        </div>
      </dl>
      {labels.length > 0 ? (
        <BarChart
          id="incidents-by-week"
          title="Linked incidents by week"
          labels={labels}
          series={[{ label: 'Incidents', values }]}
          summary={incidents.byWeek.map((w) => `${w.week}: ${w.count}`).join('; ')}
        />
      ) : (
        <p className="muted">{incidents.count === 0 ? 'No incidents linked yet.' : 'None of the linked incidents has a day or time, so none is counted by week.'}</p>
      )}
    </section>
  );
}
