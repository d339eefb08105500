/** Chart.js bar charts, each with a text alternative (a data table) for screen readers and print. */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.size = 14;
Chart.defaults.color = '#1b1b1b';

/** Colours with at least 3:1 contrast on white, for series that carry no meaning of their own. */
export const SERIES_COLOURS = ['#1d70b8', '#505a5f', '#4c2c92', '#8f4c00', '#005a30', '#6f0e2a', '#0b4f6c', '#3d3d3d'];

export interface Series {
  label: string;
  values: number[];
  /** A colour that says what the series means (overdue in red); else the next of SERIES_COLOURS. */
  colour?: string;
}

const colourOf = (s: Series, i: number) => s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length]!;

export function BarChart({ id, title, labels, series, stacked = false, summary }: { id: string; title: string; labels: string[]; series: Series[]; stacked?: boolean; summary: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: colourOf(s, i), borderColor: '#ffffff', borderWidth: 1 })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
        // The key is drawn below in HTML, where it can be read, zoomed and tested.
        plugins: { legend: { display: false } },
      },
    });
    return () => chart.destroy();
  }, [labels, series, stacked]);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart__title">
        {title}
      </figcaption>
      <div className="chart__canvas">
        <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
      </div>
      <ul className="chart__key" aria-label={`${title}: key`}>
        {series.map((s, i) => (
          <li key={s.label} data-series={s.label}>
            <span className="chart__swatch" aria-hidden="true" style={{ backgroundColor: colourOf(s, i) }} />
            {s.label}
          </li>
        ))}
      </ul>
      <details className="chart__data">
        <summary>Show the numbers as a table</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}: data`}>
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{''}</th>
                {series.map((s) => (
                  <th scope="col" key={s.label} className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((l, i) => (
                <tr key={l}>
                  <th scope="row">{l}</th>
                  {series.map((s) => (
                    <td key={s.label} className="num">
                      {s.values[i] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
