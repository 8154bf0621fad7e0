// A small map for choosing where a contact happened (the quick log on /log). A tap, a click or
// "use the map centre" hands a point to the caller, which snaps it to a cell at once; this module
// never keeps the point. It only draws the chosen HEXAGON, so the screen shows what is stored.
// Same basemap rules as the atlas map: the configured style, or the plain background when there
// is none, when the device is offline, or when the style fails to load in time.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { cellCentre } from '$lib/domain/cells';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { addDistrictBackdrop, OrgMap, type BasemapFailure } from './basemap';
import { hexFeature } from './hexgeom';

export interface PickMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	/** MapLibre's control texts in the UI language. */
	uiStrings?: Record<string, string>;
	/** A point the worker tapped: snap it, keep only the cell, hand the cell back with setCell. */
	onPick: (lat: number, lng: number) => void;
	/** The configured basemap failed and the plain background replaced it (see OrgMap). */
	onBasemapFailed?: (reason: BasemapFailure) => void;
}

const OUR_SOURCES = new Set(['picked', 'districts']);
const PICK_ZOOM = 15.5;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class PickMap {
	readonly map: MapLibreMap;
	private readonly opts: PickMapOptions;
	private readonly base: OrgMap;
	private cell: string | null = null;
	private res = 0;
	private districts: AreaCollection | null = null;
	private resizeObserver: ResizeObserver;

	constructor(opts: PickMapOptions) {
		this.opts = opts;
		const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
		const el = opts.container;
		el.dataset.mapReady = 'false';
		el.dataset.pickedCell = '';

		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: offline ? null : opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onFallBack: opts.onBasemapFailed,
			onStyleLoad: () => this.installOverlays(),
			padding: 8,
			minZoom: 10,
			maxZoom: 19,
			margin: [0.2, 0.15],
			// In a scrolling form one finger scrolls the page; two fingers move the map. A tap
			// still picks a place.
			cooperativeGestures: true
		});
		this.map = this.base.map;
		// Start with the attribution folded behind its (i) button: on a phone it would cover the
		// map. MapLibre unfolds it when it first fills it in, which may come after 'load'.
		const fold = () => el.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
		this.map.once('load', () => {
			el.dataset.mapReady = 'true';
			fold();
		});
		this.map.once('idle', fold);
		this.map.on('click', (e) => opts.onPick(e.lngLat.lat, e.lngLat.lng));
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
	}

	private installOverlays() {
		const map = this.map;
		map.addSource('picked', { type: 'geojson', data: this.pickedData() });
		addDistrictBackdrop(map, this.districts, this.base.plain, 'strong');
		map.addLayer({ id: 'picked-fill', type: 'fill', source: 'picked', paint: { 'fill-color': '#0b5cad', 'fill-opacity': 0.35 } });
		// A white halo under a black line reads on any basemap and for every colour vision.
		map.addLayer({ id: 'picked-halo', type: 'line', source: 'picked', paint: { 'line-color': '#ffffff', 'line-width': 6 } });
		map.addLayer({ id: 'picked-line', type: 'line', source: 'picked', paint: { 'line-color': '#000000', 'line-width': 3 } });
	}

	private pickedData(): FeatureCollection {
		return this.cell ? { type: 'FeatureCollection', features: [hexFeature(this.cell, this.res)] } : EMPTY;
	}

	/** Draws the chosen cell; `reveal` brings it into view (after "use my location"). */
	setCell(cell: string | null, res: number, reveal = false) {
		this.cell = cell;
		this.res = res;
		this.opts.container.dataset.pickedCell = cell ?? '';
		this.map.getSource<GeoJSONSource>('picked')?.setData(this.pickedData());
		if (cell && reveal) {
			const c = cellCentre(cell);
			const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
			this.map.easeTo({ center: [c.lng, c.lat], zoom: Math.max(this.map.getZoom(), PICK_ZOOM), duration: reduce ? 0 : 500 });
		}
	}

	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		this.map.getSource<GeoJSONSource>('districts')?.setData(fc);
	}

	/** The map's centre, for choosing by keyboard (arrows pan, +/- zoom, then "use the centre"). */
	centre(): { lat: number; lng: number } {
		const c = this.map.getCenter();
		return { lat: c.lat, lng: c.lng };
	}

	setCanvasLabel(label: string) {
		this.map.getCanvas().setAttribute('aria-label', label);
	}

	destroy() {
		this.resizeObserver.disconnect();
		this.base.dispose();
	}
}
