// Signals as a map layer (the main map and a round's map): one GeoJSON point per signal at its
// cell's centre, clustered where dense. Open signals stand out by size and a thick dark outline
// as well as colour (Okabe–Ito orange); assigned and visited ones are small blue dots. Circles
// only: the plain fallback style has no glyphs for text, so a cluster's size tells its count.
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { cellToLatLng } from 'h3-js';
import type { InboxStatus } from '$lib/domain/signals';
import { SIGNAL_COLOURS } from './signal-colours';

export const SIGNAL_SOURCE = 'signals';
export const SIGNAL_LAYERS = ['signal-cluster', 'signal-point'] as const;

export interface SignalPoint {
	id: number;
	cell: string;
	status: InboxStatus;
}

export function signalFeatures(points: readonly SignalPoint[]): FeatureCollection<Point> {
	return {
		type: 'FeatureCollection',
		features: points.map((p) => {
			const [lat, lng] = cellToLatLng(p.cell);
			return {
				type: 'Feature',
				id: p.id,
				geometry: { type: 'Point', coordinates: [lng, lat] },
				properties: { id: p.id, status: p.status, open: p.status === 'open' ? 1 : 0 }
			};
		})
	};
}

const isOpen: ExpressionSpecification = ['==', ['get', 'status'], 'open'];
const clusterHasOpen: ExpressionSpecification = ['>', ['get', 'open'], 0];

/** Adds the source and its layers to a freshly loaded style (again after each style load). */
export function installSignalLayer(map: MapLibreMap, data: FeatureCollection<Point>, o: { cluster: boolean; visible?: boolean }): void {
	if (map.getSource(SIGNAL_SOURCE)) return;
	map.addSource(SIGNAL_SOURCE, {
		type: 'geojson',
		data,
		cluster: o.cluster,
		clusterRadius: 36,
		clusterMaxZoom: 15,
		clusterProperties: { open: ['+', ['get', 'open']] }
	});
	const visibility = o.visible === false ? 'none' : 'visible';
	map.addLayer({
		id: 'signal-cluster',
		type: 'circle',
		source: SIGNAL_SOURCE,
		filter: ['has', 'point_count'],
		layout: { visibility },
		paint: {
			'circle-color': ['case', clusterHasOpen, SIGNAL_COLOURS.open, SIGNAL_COLOURS.worked],
			'circle-opacity': 0.85,
			'circle-radius': ['step', ['get', 'point_count'], 10, 10, 14, 50, 19, 200, 24],
			'circle-stroke-color': SIGNAL_COLOURS.outline,
			'circle-stroke-width': ['case', clusterHasOpen, 3, 1.5]
		}
	});
	map.addLayer({
		id: 'signal-point',
		type: 'circle',
		source: SIGNAL_SOURCE,
		filter: ['!', ['has', 'point_count']],
		layout: { visibility },
		paint: {
			'circle-color': ['case', isOpen, SIGNAL_COLOURS.open, SIGNAL_COLOURS.worked],
			'circle-radius': ['case', isOpen, 7, 4.5],
			'circle-stroke-color': ['case', isOpen, SIGNAL_COLOURS.outline, '#ffffff'],
			'circle-stroke-width': ['case', isOpen, 2.5, 1.5]
		}
	});
}

/** New points for the layer; a promise that settles when the source took them. */
export function setSignalData(map: MapLibreMap, data: FeatureCollection<Point>): Promise<unknown> | void {
	const src = map.getSource<GeoJSONSource>(SIGNAL_SOURCE);
	return src?.setData(data);
}

export function setSignalsVisible(map: MapLibreMap, visible: boolean): void {
	for (const id of SIGNAL_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}
