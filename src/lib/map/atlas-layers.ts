// The atlas map's own sources and layers (hexes, districts, other area layers, services) and the paint
// expressions that read each cell's feature-state: `colour` and `cls` (its class, see stats.ts);
// the selected and hovered outlines are a source of their own. Installed again whenever the style
// (re)loads.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { AreaCollection, ServiceCollection } from '$lib/api/map';
import type { VocabularyEntry } from '$lib/domain/vocabulary';
import { CHANGE_COLOURS, HOTSPOT_COLOURS, MAGMA, overlayColour, paletteFor, SUPPRESSED_FILL } from './colour';
import { HATCH_IMAGE, hatchImageData, iconImageData, RATIO_PX } from './icons';
import { NO_CLASS, SUPPRESSED_CLASS, type HexMode } from './stats';

/** Area layers besides the district layer the layer list can show at once (one source each). */
export const MAX_AREA_OVERLAYS = 12;
/** The source (and line layer) of the area overlay in slot i. */
export const overlaySource = (i: number) => `area-${i}`;
export const overlayLine = (i: number) => `area-line-${i}`;
export const overlayCasing = (i: number) => `area-case-${i}`;

export const OUR_SOURCES = new Set([
	'hexes',
	'hex-focus',
	'districts',
	'services',
	'signals',
	...Array.from({ length: MAX_AREA_OVERLAYS }, (_, i) => overlaySource(i))
]);

const cls: ExpressionSpecification = ['coalesce', ['feature-state', 'cls'], NO_CLASS];
const drawn: ExpressionSpecification = ['!=', cls, NO_CLASS];
const isSuppressed: ExpressionSpecification = ['==', cls, SUPPRESSED_CLASS];

/**
 * No fade between colourings: a style transition (300 ms by default) keeps the map rendering
 * frame after frame, and on software GL each frame of 10,000 cells costs 100 ms or more.
 */
const NOW = { duration: 0, delay: 0 };

const FIXED_PALETTES = { underserved: MAGMA, hotspots: HOTSPOT_COLOURS, change: CHANGE_COLOURS } as const;

/**
 * The hex fill of a mode by class (reach and months: `classes` classes, and suppressed grey; the
 * others a fixed palette). Each cell carries its colour as feature-state, so the layer's
 * expression never changes: changing a data-driven paint property makes MapLibre lay out every
 * tile of the source again, 10,000 polygons on a large view (issue 11).
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
	/** Counts may be suppressed ("< k", analysts): only then is the hatch layer added. */
	suppression: boolean;
	/** The zoom from which the grid between cells is drawn (see hexgeom.ts gridMinZoom). */
	gridMinZoom: number;
	/** The hex source's cells (their colours are feature-state, set afterwards). */
	hexes: FeatureCollection;
}

/** The layers drawing the hex source's cells (hex-hatch only where counts can be suppressed). */
const HEX_LAYERS = ['hex-fill', 'hex-hatch', 'hex-line'];

/** False while the hex layers wait for their first cells (see installOverlays). */
export const hexLayersShown = (map: MapLibreMap) => map.getLayoutProperty('hex-fill', 'visibility') !== 'none';

export function showHexLayers(map: MapLibreMap) {
	for (const id of HEX_LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'visible');
}

/** Add the icons, sources and layers to a freshly loaded style. */
export function installOverlays(map: MapLibreMap, o: Overlays): void {
	const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
	o.serviceCategories.forEach((c, i) => {
		const id = `svc-${c.id}`;
		if (!map.hasImage(id)) map.addImage(id, iconImageData(i), { pixelRatio: RATIO_PX });
	});
	if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImageData(), { pixelRatio: RATIO_PX });
	map.addSource('districts', { type: 'geojson', data: o.districts ?? empty });
	o.overlays.forEach((x, i) => map.addSource(overlaySource(i), { type: 'geojson', data: x.fc ?? empty }));
	map.addSource('hexes', { type: 'geojson', data: o.hexes, promoteId: 'cell' });
	map.addSource('hex-focus', { type: 'geojson', data: empty });
	map.addSource('services', { type: 'geojson', data: o.services ?? empty });

	if (o.plain) {
		map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#fbfbfa', 'fill-opacity': 0.9 } });
	}
	// Without cells the hex layers wait hidden (see AtlasMap.showHexLayers): a visible layer makes
	// MapLibre ask for its tiles, and tiles asked for while the first cells go to the worker are
	// built twice, a second of worker time at 10,000 cells.
	const layout = { visibility: o.hexes.features.length ? 'visible' : 'none' } as const;
	map.addLayer({
		id: 'hex-fill',
		type: 'fill',
		source: 'hexes',
		layout,
		// no antialiasing outline: hex-line draws the edges (one pass fewer over every cell). Only the
		// colour reads feature-state (an undrawn cell has none: transparent): MapLibre evaluates
		// every such property for every cell of a tile when the tile arrives, 10,000 cells a view.
		paint: {
			'fill-color': ['coalesce', ['feature-state', 'colour'], 'rgba(0,0,0,0)'],
			'fill-color-transition': NOW,
			'fill-opacity': 0.8,
			'fill-antialias': false
		}
	});
	// Suppressed cells get a hatch over their grey fill. fill-pattern cannot follow
	// feature-state, so the pattern is constant and its opacity picks the cells. Only for roles
	// whose counts can be suppressed: it is one more pass over every cell in each frame.
	if (o.suppression) {
		map.addLayer({
			id: 'hex-hatch',
			type: 'fill',
			source: 'hexes',
			layout,
			paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': ['case', isSuppressed, 1, 0], 'fill-opacity-transition': NOW, 'fill-antialias': false }
		});
	}
	map.addLayer({
		id: 'hex-line',
		type: 'line',
		source: 'hexes',
		layout,
		minzoom: Math.max(0, o.gridMinZoom),
		// the selected and hovered outlines are hex-focus-line's (one state-bound property here)
		paint: { 'line-color': '#ffffff', 'line-width': 0.4, 'line-opacity': ['case', drawn, 0.7, 0], 'line-opacity-transition': NOW }
	});
	// The selected and hovered cell's outline at every zoom, also where hex-line is not drawn.
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
