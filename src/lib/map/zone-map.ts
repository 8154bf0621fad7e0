// A small map of assigned zones (the "Mijn zones" page): zone outlines in distinct colour-blind-
// safe colours with their names, district lines for orientation, on the configured basemap or
// the plain background. Like AtlasMap it owns its MapLibre instance and reports data-map-idle.
import { LngLatBounds, type Map as MapLibreMap, Marker, type GeoJSONSource } from 'maplibre-gl';
import { cellsToMultiPolygon } from 'h3-js';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import type { MyZone, ZoneGeometry } from '$lib/api/field';
import { addDistrictBackdrop, OrgMap, type BasemapFailure } from './basemap';

const OUR_SOURCES = new Set(['zones', 'districts']);
import { labelPoint } from './geometry';
import { zoneColour } from './zone-map-colours';

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
	/** The configured basemap failed and the plain background replaced it (see OrgMap). */
	onBasemapFailed?: (reason: BasemapFailure) => void;
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
	private readonly base: OrgMap;
	private styleReady = false;
	private destroyed = false;
	private zones: ZoneFeature[] | null = null;
	private districts: AreaCollection | null = null;
	private labels: Marker[] = [];
	private resizeObserver: ResizeObserver;

	constructor(opts: ZoneMapOptions) {
		this.opts = opts;
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.zoneCount = '0';
		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onFallBack: opts.onBasemapFailed,
			onStyleLoad: () => this.install()
		});
		this.map = this.base.map;
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
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
		map.addSource('zones', { type: 'geojson', data: empty });
		addDistrictBackdrop(map, this.districts, this.base.plain);
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
		this.resizeObserver.disconnect();
		for (const m of this.labels) m.remove();
		this.base.dispose();
	}
}
