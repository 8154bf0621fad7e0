// What every map of the app shares: the plain background used when no basemap is configured
// (tests, offline) or when the configured one cannot be loaded.
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection } from 'geojson';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { addProtocol, AttributionControl, Map as MapLibreMap, NavigationControl, prewarm, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { ORG_FIT } from './geometry';

// MapLibre 6 under Vite: the worker must be given by URL, or the map never loads.
setWorkerUrl(workerUrl);
// The workers start with the map code (the atlas page loads it beside its first requests) and
// stay for the next map: on two busy cores their start took most of a second of the first view.
prewarm();
// A self-hosted basemap: a style whose sources are `pmtiles://https://…/region.pmtiles` reads
// the tiles from one PMTiles archive by HTTP range requests (README, "A self-hosted basemap").
addProtocol('pmtiles', new Protocol().tile);

export const BASEMAP_TIMEOUT_MS = 8000;

/** Why the configured basemap gave way to the plain background. */
export type BasemapFailure = 'style' | 'tiles' | 'timeout';

export const PLAIN_STYLE: StyleSpecification = {
	version: 8,
	name: 'plain',
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e4e7eb' } }]
};

export interface OrgMapOptions {
	container: HTMLElement;
	bbox: [number, number, number, number];
	/** Style URL of the basemap; null (or offline) draws the plain background only. */
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
	/** Our own sources: their errors are ours to report, never a reason to drop the basemap. */
	ownSources: ReadonlySet<string>;
	/** Runs after every style load (the first, and again after a fall-back): add sources and layers. */
	onStyleLoad: () => void;
	/**
	 * The configured basemap failed (its style or a tile did not load, or not in time) and the
	 * plain background replaced it: tell the user. Not called when the plain background was asked for.
	 */
	onFallBack?: (reason: BasemapFailure) => void;
	padding?: number;
	minZoom?: number;
	maxZoom?: number;
	/** Degrees the view may stray beyond the bbox: [longitude, latitude]. */
	margin?: [number, number];
	/** One finger scrolls the page, two move the map (for maps inside scrolling forms). */
	cooperativeGestures?: boolean;
}

/**
 * A map of the organisation's area, as every map of the app starts: north up, zoom buttons,
 * compact attribution, and the configured basemap replaced by the plain background when it
 * errors or does not load within BASEMAP_TIMEOUT_MS, so the overlays are never on a blank map.
 */
export class OrgMap {
	readonly map: MapLibreMap;
	#plain: boolean;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(private readonly o: OrgMapOptions) {
		this.#plain = !o.basemapStyle;
		o.container.dataset.basemap = this.#plain ? 'plain' : 'remote';
		const [w, s, e, n] = o.bbox;
		const [mx, my] = o.margin ?? [0.3, 0.2];
		this.map = new MapLibreMap({
			container: o.container,
			style: o.basemapStyle ?? PLAIN_STYLE,
			bounds: [w, s, e, n],
			fitBoundsOptions: { padding: o.padding ?? ORG_FIT.padding },
			minZoom: o.minZoom ?? ORG_FIT.minZoom,
			maxZoom: o.maxZoom ?? ORG_FIT.maxZoom,
			maxBounds: [w - mx, s - my, e + mx, n + my],
			dragRotate: false,
			pitchWithRotate: false,
			touchPitch: false,
			cooperativeGestures: o.cooperativeGestures ?? false,
			attributionControl: false,
			locale: o.uiStrings,
			localIdeographFontFamily: 'sans-serif',
			// Symbols appear at once: a fade keeps the map rendering for 300 ms after every change,
			// and on software GL (and slow laptops) each frame of a dense hex layer is costly.
			fadeDuration: 0
		});
		this.map.touchZoomRotate.disableRotation();
		this.map.keyboard.disableRotation();
		this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
		this.map.addControl(new AttributionControl({ compact: true, customAttribution: o.attribution }), 'bottom-right');
		this.map.on('style.load', () => {
			clearTimeout(this.#timer);
			o.onStyleLoad();
		});
		this.map.on('error', (ev) => {
			const sourceId = (ev as { sourceId?: string }).sourceId;
			// an error naming a source is a tile (or tile index) of it; one without, the style itself
			if (!this.#plain && !(sourceId && o.ownSources.has(sourceId))) this.fallBack(sourceId ? 'tiles' : 'style');
			else console.warn('map error', ev.error?.message ?? ev);
		});
		if (!this.#plain) this.#timer = setTimeout(() => this.fallBack('timeout'), BASEMAP_TIMEOUT_MS);
	}

	/** True when the plain background is drawn (configured, offline, or after a fall-back). */
	get plain(): boolean {
		return this.#plain;
	}

	private fallBack(reason: BasemapFailure) {
		if (this.#plain) return;
		this.#plain = true;
		clearTimeout(this.#timer);
		console.warn(`basemap unavailable (${reason}); using the plain background`);
		this.o.container.dataset.basemap = 'plain';
		this.o.container.dataset.basemapFailed = reason;
		this.o.onFallBack?.(reason);
		this.map.setStyle(PLAIN_STYLE, { diff: false });
	}

	dispose() {
		clearTimeout(this.#timer);
		this.map.remove();
	}
}

/**
 * District outlines for orientation under a small map's own layers (zones, a route): on the plain
 * background the districts are also filled, so the city reads against the surrounding grey.
 */
export function addDistrictBackdrop(
	map: MapLibreMap,
	districts: FeatureCollection | null,
	plain: boolean,
	lines: 'light' | 'strong' = 'light'
): void {
	map.addSource('districts', { type: 'geojson', data: districts ?? { type: 'FeatureCollection', features: [] } });
	if (plain) {
		map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#fbfbfa', 'fill-opacity': 0.9 } });
	}
	map.addLayer({
		id: 'district-line',
		type: 'line',
		source: 'districts',
		// 'strong' where the districts are the only landmarks (the quick log's map outdoors)
		paint:
			lines === 'strong'
				? { 'line-color': '#3f3f46', 'line-width': 1, 'line-dasharray': [4, 2.5], 'line-opacity': 0.7 }
				: { 'line-color': '#6b7280', 'line-width': 0.8, 'line-dasharray': [3, 2], 'line-opacity': 0.8 }
	});
}
