// The atlas map's own sources and layers (hexes, districts, other area layers, services) and the
// hex fill colours per class; the hexes are a custom WebGL layer (hex-gl-layer.ts), the selected
// and hovered outlines a GeoJSON source of their own. Installed again whenever the style (re)loads.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { AreaCollection, ServiceCollection } from '$lib/api/map';
import type { VocabularyEntry } from '$lib/domain/vocabulary';
import { CHANGE_COLOURS, HOTSPOT_COLOURS, MAGMA, overlayColour, paletteFor, SUPPRESSED_FILL } from './colour';
import type { HexGlLayer } from './hex-gl-layer';
import { iconImageData, RATIO_PX } from './icons';
import { SUPPRESSED_CLASS, type HexMode } from './stats';

/** Area layers besides the district layer the layer list can show at once (one source each). */
export const MAX_AREA_OVERLAYS = 12;
/** The source (and line layer) of the area overlay in slot i. */
export const overlaySource = (i: number) => `area-${i}`;
export const overlayLine = (i: number) => `area-line-${i}`;
export const overlayCasing = (i: number) => `area-case-${i}`;

export const OUR_SOURCES = new Set([
	'hex-focus',
	'districts',
	'services',
	'signals',
	...Array.from({ length: MAX_AREA_OVERLAYS }, (_, i) => overlaySource(i))
]);

const FIXED_PALETTES = { underserved: MAGMA, hotspots: HOTSPOT_COLOURS, change: CHANGE_COLOURS } as const;

/**
 * The hex fill of a mode by class (reach and months: `classes` classes, and suppressed grey; the
 * others a fixed palette), written into the hex layer's colour array (see hex-mesh.ts).
 */
export function fillColours(mode: HexMode, classes: number): ReadonlyMap<number, string> {
	const palette = mode === 'reach' || mode === 'months' ? paletteFor(classes) : FIXED_PALETTES[mode];
	const out = new Map<number, string>(palette.map((c, i) => [i, c]));
	if (mode === 'reach' || mode === 'months') out.set(SUPPRESSED_CLASS, SUPPRESSED_FILL);
	return out;
}

/** Only the services of the visible categories. */
export function serviceFilter(categories: number[]): ExpressionSpecification {
	return ['in', ['get', 'category'], ['literal', categories]];
}

export interface Overlays {
	/** On the plain background, districts get a light fill. */
	plain: boolean;
	serviceCategories: VocabularyEntry[];
	visibleCategories: number[];
	districts: AreaCollection | null;
	/** The other area layers by slot (see overlaySource), each with whether it is shown. */
	overlays: readonly { fc: AreaCollection | null; visible: boolean }[];
	services: ServiceCollection | null;
	/** The hex layer (it keeps its cells and colours over style reloads). */
	hexLayer: HexGlLayer;
}

/** Add the icons, sources and layers to a freshly loaded style. */
export function installOverlays(map: MapLibreMap, o: Overlays): void {
	const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
	o.serviceCategories.forEach((c, i) => {
		const id = `svc-${c.id}`;
		if (!map.hasImage(id)) map.addImage(id, iconImageData(i), { pixelRatio: RATIO_PX });
	});
	map.addSource('districts', { type: 'geojson', data: o.districts ?? empty });
	o.overlays.forEach((x, i) => map.addSource(overlaySource(i), { type: 'geojson', data: x.fc ?? empty }));
	map.addSource('hex-focus', { type: 'geojson', data: empty });
	map.addSource('services', { type: 'geojson', data: o.services ?? empty });

	if (o.plain) {
		map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#fbfbfa', 'fill-opacity': 0.9 } });
	}
	// the cells (a custom WebGL layer: fill, suppressed hatch and grid; see hex-gl-layer.ts)
	map.addLayer(o.hexLayer);
	// The selected and hovered cell's outline at every zoom, also where the grid is not drawn.
	map.addLayer({
		id: 'hex-focus-line',
		type: 'line',
		source: 'hex-focus',
		paint: { 'line-color': ['case', ['get', 'selected'], '#000000', '#222222'], 'line-width': ['case', ['get', 'selected'], 3, 2] }
	});
	// each shown layer: a white casing under a coloured dashed line, readable over dark hexes too
	o.overlays.forEach((x, i) => {
		const visibility = x.visible ? 'visible' : 'none';
		map.addLayer({
			id: overlayCasing(i),
			type: 'line',
			source: overlaySource(i),
			layout: { visibility },
			paint: { 'line-color': '#ffffff', 'line-width': 4.5, 'line-opacity': 0.85 }
		});
		map.addLayer({
			id: overlayLine(i),
			type: 'line',
			source: overlaySource(i),
			layout: { visibility },
			paint: { 'line-color': overlayColour(i), 'line-width': 2.2, 'line-dasharray': [3, 1.5] }
		});
	});
	map.addLayer({
		id: 'district-line',
		type: 'line',
		source: 'districts',
		paint: { 'line-color': '#3f3f46', 'line-width': 1.3, 'line-dasharray': [4, 2.5], 'line-opacity': 0.85 }
	});
	map.addLayer({
		id: 'services',
		type: 'symbol',
		source: 'services',
		filter: serviceFilter(o.visibleCategories),
		layout: {
			'icon-image': ['concat', 'svc-', ['to-string', ['get', 'category']]],
			'icon-allow-overlap': true,
			'icon-ignore-placement': true,
			'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 14, 1]
		}
	});
}
