/**
 * Hotspots and incidents on a map. No tile server by default: points on a plain background with the areas'
 * boundaries drawn as outlines. A tile URL (console config `map.tileUrl`, or VITE_MAP_TILE_URL at
 * build time) adds a base map. The ranking table beside it is the text alternative.
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import type { Area } from './model';
import { label } from './vocab';

/** Leaflet reads a string as HTML: an area's name goes in as an element holding it as text. */
function asText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** The attribution control takes only HTML: the configured text is escaped first. */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface HotspotFeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] } | null; properties: Record<string, unknown> }[];
}

const HOTSPOTS_LABEL = 'Map of hotspots: circles sized by score. The ranking table has the same figures.';

/**
 * `geojson`: hotspots, circles sized by score. `incidents`: incidents as small dots (properties
 * `category`, `status`). `label` says what the map shows and where the same figures are as text.
 */
export function HotspotMap({
  geojson,
  incidents,
  areas,
  tileUrl,
  attribution,
  label: mapLabel = HOTSPOTS_LABEL,
}: {
  geojson: HotspotFeatureCollection | undefined;
  incidents?: HotspotFeatureCollection;
  areas: Area[];
  tileUrl?: string;
  attribution?: string;
  label?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const map = L.map(element.current, { attributionControl: !!tileUrl, zoomSnap: 0.25, scrollWheelZoom: false });
    if (tileUrl) L.tileLayer(tileUrl, { attribution: escapeHtml(attribution ?? ''), maxZoom: 19 }).addTo(map);
    const layers: L.Layer[] = [];
    for (const area of areas) {
      if (area.boundary && typeof area.boundary === 'object') {
        try {
          layers.push(L.geoJSON(area.boundary as GeoJSON.GeoJsonObject, { style: { color: '#444', weight: 1.5, fill: true, fillColor: '#d9e2ec', fillOpacity: 0.35 }, interactive: false }).addTo(map));
        } catch {
          // A boundary Leaflet cannot draw is left out; the point still shows.
        }
      }
    }
    const maxScore = Math.max(1, ...(geojson?.features ?? []).map((f) => Number(f.properties['score'] ?? 0)));
    if (geojson) {
      const points = L.geoJSON(geojson as GeoJSON.FeatureCollection, {
        pointToLayer: (feature, latlng) => {
          const score = Number(feature.properties?.['score'] ?? 0);
          const areaCode = String(feature.properties?.['areaCode'] ?? '');
          const name = areas.find((a) => a.code === areaCode)?.name ?? areaCode;
          return L.circleMarker(latlng, {
            radius: 8 + 18 * Math.sqrt(score / maxScore),
            color: '#7a1f00',
            weight: 2,
            fillColor: '#d9480f',
            fillOpacity: 0.65,
          }).bindTooltip(asText(`${name}: score ${score.toFixed(1)}, ${Number(feature.properties?.['openProblems'] ?? 0)} open problems`), { permanent: false });
        },
      }).addTo(map);
      layers.push(points);
    }
    if (incidents) {
      layers.push(
        L.geoJSON(incidents as GeoJSON.FeatureCollection, {
          pointToLayer: (feature, latlng) =>
            L.circleMarker(latlng, { className: 'incident-dot', radius: 5, color: '#0b3d63', weight: 1.5, fillColor: '#1d70b8', fillOpacity: 0.8 }).bindTooltip(
              asText(`${label(String(feature.properties?.['category'] ?? ''))}: ${label(String(feature.properties?.['status'] ?? ''))}`),
              { permanent: false },
            ),
        }).addTo(map),
      );
    }
    const bounds = L.latLngBounds([]);
    for (const layer of layers) {
      const b = (layer as L.FeatureGroup).getBounds?.();
      if (b && b.isValid()) bounds.extend(b);
    }
    for (const area of areas) if (area.centroid) bounds.extend([area.centroid.lat, area.centroid.lng]);
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 15 });
    else map.setView([52.5, -1.5], 6);
    // Leaflet measures its box once; a layout change (tabs, print) needs a nudge.
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      map.remove();
    };
  }, [geojson, incidents, areas, tileUrl, attribution]);
  return <div className="map" ref={element} role="region" aria-label={mapLabel} />;
}
