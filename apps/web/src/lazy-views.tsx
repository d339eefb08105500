/**
 * The heavy views, loaded when first drawn rather than with the first screen: the hotspot map
 * (Leaflet) and the bar charts (Chart.js) each come in their own chunk. Same props as the originals.
 */
import { lazy, Suspense, type ComponentProps } from 'react';
import type * as Charts from './charts';
import type * as Map from './hotspot-map';
import { Loading } from './components';

const LazyBarChart = lazy(() => import('./charts').then((module) => ({ default: module.BarChart })));
const LazyHotspotMap = lazy(() => import('./hotspot-map').then((module) => ({ default: module.HotspotMap })));

export function BarChart(props: ComponentProps<typeof Charts.BarChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyBarChart {...props} />
    </Suspense>
  );
}

export function HotspotMap(props: ComponentProps<typeof Map.HotspotMap>) {
  return (
    <Suspense fallback={<Loading what="the map" />}>
      <LazyHotspotMap {...props} />
    </Suspense>
  );
}
