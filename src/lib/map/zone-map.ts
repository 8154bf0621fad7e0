// A small map of assigned zones (the "Mijn zones" page): zone outlines in distinct colour-blind-
// safe colours with their names, district lines for orientation, on the configured basemap or
// the plain background. Like AtlasMap it owns its MapLibre instance and reports data-map-idle.
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {
	AttributionControl,
	LngLatBounds,
	Map as MapLibreMap,
	Marker,
	NavigationControl,
	setWorkerUrl,
	type GeoJSONSource
} from 'maplibre-gl';
import { cellsToMultiPolygon } from 'h3-js';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaCollection, Bbox, MyZone, ZoneGeometry } from './api';
import { BASEMAP_TIMEOUT_MS, PLAIN_STYLE } from './basemap';
import { labelPoint } from './geometry';
import { zoneColour } from './zone-map-colours';

setWorkerUrl(workerUrl);


interface ZoneProps {
	id: number;
	label: string;
	colour: string;
}
type ZoneFeature = Feature<ZoneGeometry, ZoneProps>;

export interface ZoneMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
}

/** The zone's shape: its area outline, or the union of its cells. */
export function zoneGeometry(z: MyZone): ZoneGeometry | null {
	if (z.geometry) return z.geometry;
	if (z.cells?.length) return { type: 'MultiPolygon', coordinates: cellsToMultiPolygon(z.cells, true) };
	return null;
}

function extend(bounds: LngLatBounds, g: Polygon | MultiPolygon) {
	const rings: Position[][] = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
	for (const ring of rings) for (const [lng, lat] of ring) bounds.extend([lng!, lat!]);
}

export class ZoneMap {
	readonly map: MapLibreMap;
	private readonly opts: ZoneMapOptions;
	private plain: boolean;
	private styleTimer: ReturnType<typeof setTimeout> | undefined;
	private styleReady = false;
	private destroyed = false;
	private zones: ZoneFeature[] | null = null;
	private districts: AreaCollection | null = null;
	private labels: Marker[] = [];
	private resizeObserver: ResizeObserver;

	constructor(opts: ZoneMapOptions) {
		this.opts = opts;
		this.plain = !opts.basemapStyle;
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.zoneCount = '0';
		el.dataset.basemap = this.plain ? 'plain' : 'remote';
		const [w, s, e, n] = opts.bbox;
		this.map = new MapLibreMap({
			container: el,
			style: opts.basemapStyle ?? PLAIN_STYLE,
			bounds: [w, s, e, n],
			fitBoundsOptions: { padding: 16 },
			minZoom: 9,
			maxZoom: 18,
			maxBounds: [w - 0.3, s - 0.2, e + 0.3, n + 0.2],
			dragRotate: false,
			pitchWithRotate: false,
			touchPitch: false,
			attributionControl: false,
			locale: opts.uiStrings
		});
		this.map.touchZoomRotate.disableRotation();
		this.map.keyboard.disableRotation();
		this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
		this.map.addControl(new AttributionControl({ compact: true, customAttribution: opts.attribution }), 'bottom-right');
		this.map.on('style.load', () => {
			clearTimeout(this.styleTimer);
			this.install();
		});
		this.map.on('error', (ev) => {
			const sourceId = (ev as { sourceId?: string }).sourceId;
			if (!this.plain && !(sourceId === 'zones' || sourceId === 'districts')) this.fallBack();
			else console.warn('map error', ev.error?.message ?? ev);
		});
		if (!this.plain) this.styleTimer = setTimeout(() => this.fallBack(), BASEMAP_TIMEOUT_MS);
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
	}

	private fallBack() {
		if (this.plain) return;
		this.plain = true;
		clearTimeout(this.styleTimer);
		console.warn('basemap unavailable; using the plain background');
		this.opts.container.dataset.basemap = 'plain';
		this.map.setStyle(PLAIN_STYLE, { diff: false });
	}

	/** Draws the zones (in list order, so colours match the list) and fits the map to them. */
	setZones(zones: MyZone[]) {
		this.zones = zones.flatMap((z, i) => {
			const geometry = zoneGeometry(z);
			return geometry ? [{ type: 'Feature' as const, geometry, properties: { id: z.assignmentId, label: z.label, colour: zoneColour(i) } }] : [];
		});
		this.opts.container.dataset.zoneCount = String(this.zones.length);
		void this.apply(true);
	}

	/** District outlines under the zones, for orientation. */
	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		this.map.getSource<GeoJSONSource>('districts')?.setData(fc);
	}

	/** Fits the map to one zone (from the list, so keyboard users can get there too). */
	focusZone(id: number) {
		const f = this.zones?.find((z) => z.properties.id === id);
		if (f) this.fit([f], true);
	}

	private fit(features: ZoneFeature[], animate: boolean) {
		if (!features.length) {
			const [w, s, e, n] = this.opts.bbox;
			this.map.fitBounds([w, s, e, n], { padding: 16, animate: false });
			return;
		}
		const bounds = new LngLatBounds();
		for (const f of features) extend(bounds, f.geometry);
		this.map.fitBounds(bounds, { padding: 40, maxZoom: 16, animate });
	}

	private async apply(refit: boolean) {
		const src = this.map.getSource<GeoJSONSource>('zones');
		if (!src || !this.zones) return; // install() applies it once the style is there
		this.opts.container.dataset.mapIdle = 'false';
		const fc: FeatureCollection<ZoneGeometry, ZoneProps> = { type: 'FeatureCollection', features: this.zones };
		await src.setData(fc);
		this.buildLabels();
		if (refit) this.fit(this.zones, false);
		this.settle();
	}

	private settle() {
		if (this.destroyed || !this.styleReady || !this.zones) return;
		this.map.once('idle', () => {
			if (!this.destroyed) this.opts.container.dataset.mapIdle = 'true';
		});
		this.map.triggerRepaint();
	}

	private buildLabels() {
		for (const m of this.labels) m.remove();
		this.labels = (this.zones ?? []).map((f) => {
			const el = document.createElement('div');
			el.className = 'zone-label';
			el.textContent = f.properties.label;
			el.style.borderColor = f.properties.colour;
			el.setAttribute('aria-hidden', 'true');
			return new Marker({ element: el, anchor: 'center' }).setLngLat(labelPoint(f.geometry)).addTo(this.map);
		});
	}

	private install() {
		const map = this.map;
		const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
		map.addSource('districts', { type: 'geojson', data: this.districts ?? empty });
		map.addSource('zones', { type: 'geojson', data: empty });
		if (this.plain) {
			map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#fbfbfa', 'fill-opacity': 0.9 } });
		}
		map.addLayer({
			id: 'district-line',
			type: 'line',
			source: 'districts',
			paint: { 'line-color': '#6b7280', 'line-width': 0.8, 'line-dasharray': [3, 2], 'line-opacity': 0.8 }
		});
		map.addLayer({
			id: 'zone-fill',
			type: 'fill',
			source: 'zones',
			paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.22 }
		});
		map.addLayer({
			id: 'zone-line',
			type: 'line',
			source: 'zones',
			paint: { 'line-color': ['get', 'colour'], 'line-width': 3 }
		});
		this.styleReady = true;
		void this.apply(true);
	}

	destroy() {
		this.destroyed = true;
		clearTimeout(this.styleTimer);
		this.resizeObserver.disconnect();
		for (const m of this.labels) m.remove();
		this.map.remove();
	}
}
