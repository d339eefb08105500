/**
 * The dashboard's emerging hotspots: (area, category) pairs whose incidents in the recent weeks
 * exceed what their baseline leads one to expect, ranked by q-value. A pair no open problem covers
 * is flagged, with a link that starts a problem for it (inspectors raise problems).
 */
import { get, withQuery } from '../api';
import { Badge, Loaded, SortableTable } from '../components';
import { useAsync } from '../hooks';
import { normaliseEmerging, type EmergingHotspot } from '../incident-model';
import { itemsOf } from '../model';
import { areaName, useReference } from '../reference';
import { Link } from '../router';
import { useSession } from '../session-context';
import { label } from '../vocab';

/** Below this q-value a rise is unlikely to be chance (Benjamini–Hochberg at 5%). */
const Q_THRESHOLD = 0.05;

const decimal = (v: number, places = 2) => v.toFixed(places);
const probability = (v: number) => (v < 0.001 ? '< 0.001' : v.toFixed(3));

export function EmergingHotspots({ category, refreshKey }: { category: string; refreshKey: number }) {
  const { can } = useSession();
  const reference = useReference();
  const state = useAsync(async () => itemsOf((await get(withQuery('/v1/hotspots/emerging', { category }))).data).map(normaliseEmerging), [category, refreshKey]);
  const raisePath = (h: EmergingHotspot) => `/problems/new?${new URLSearchParams({ category: h.category, areaCode: h.areaCode }).toString()}`;
  const place = (h: EmergingHotspot) => `${label(h.category)} in ${areaName(reference, h.areaCode)}`;

  return (
    <section aria-labelledby="emerging" className="panel">
      <h2 id="emerging">Emerging hotspots</h2>
      <p className="hint">
        Incidents in the last 4 complete weeks against the 52 weeks before, per area and category (pairs with at least 5 recent incidents). The ratio is recent over expected
        (“None before” when the baseline had none). A q-value below {Q_THRESHOLD} means the rise is unlikely to be chance.
      </p>
      <Loaded state={state} what="emerging hotspots" isEmpty={(data) => data.length === 0} empty={<p className="empty">No area and category has enough recent incidents to test.</p>}>
        {(data) => (
          <SortableTable
            caption="Emerging hotspots, most significant first"
            rowKey={(h) => `${h.areaCode}/${h.category}`}
            rows={data}
            columns={[
              { key: 'area', header: 'Area', render: (h) => areaName(reference, h.areaCode), sortValue: (h) => areaName(reference, h.areaCode) },
              { key: 'category', header: 'Category', render: (h) => label(h.category), sortValue: (h) => h.category },
              { key: 'recent', header: 'Recent', numeric: true, render: (h) => h.recent, sortValue: (h) => h.recent },
              { key: 'baseline', header: 'Baseline', numeric: true, render: (h) => h.baseline, sortValue: (h) => h.baseline },
              { key: 'expected', header: 'Expected', numeric: true, render: (h) => decimal(h.expected, 1), sortValue: (h) => h.expected },
              { key: 'ratio', header: 'Ratio', numeric: true, render: (h) => (h.ratio === null ? 'None before' : decimal(h.ratio)), sortValue: (h) => h.ratio ?? Number.POSITIVE_INFINITY },
              { key: 'q', header: 'q-value', numeric: true, render: (h) => probability(h.qValue), sortValue: (h) => h.qValue },
              {
                key: 'covered',
                header: 'Open problem',
                render: (h) =>
                  h.covered ? (
                    'Yes'
                  ) : (
                    <span className="uncovered" data-uncovered="">
                      <Badge value="no open problem" kind="declined" />
                      {can('inspector') && (
                        <>
                          {' '}
                          <Link to={raisePath(h)}>
                            Raise a problem<span className="visually-hidden"> for {place(h)}</span>
                          </Link>
                        </>
                      )}
                    </span>
                  ),
                sortValue: (h) => (h.covered ? 1 : 0),
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
