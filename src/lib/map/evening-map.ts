// The evening's map (/rounds/evening/[date]): every round of the evening at once, each in its own
// Okabe–Ito colour and dash pattern, its stops labelled with the round's letter and number (A1,
// B2…), its start as a pin with the letter; the zones no round visits as grey dashed outlines.
// Read-only: zones are moved with the page's lists (keyboard). Reports data-map-idle for tests.
import { LngLatBounds, Marker, type GeoJSONSource, type Map as MapLibreMap } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import { cellCentre } from '$lib/domain/cells';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { addDistrictBackdrop, OrgMap, type BasemapFailure } from './basemap';
import { hexFeature } from './hexgeom';
import { EVENING_FREE_COLOUR, EVENING_ROUND_STYLES, roundStyle } from './evening-colours';

const OUR_SOURCES = new Set(['districts', 'zones']);
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface EveningView {
	rounds: { start: string | null; stops: string[] }[];
	/** Zones no round visits that may still be given to one. */
	free: string[];
	res: number;
}

export interface EveningMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
	onBasemapFailed?: (reason: BasemapFailure) => void;
}

const centre = (cell: string): [number, number] => {
	const { lat, lng } = cellCentre(cell);
	return [lng, lat];
};

export class EveningMap {
	readonly map: MapLibreMap;
	private readonly base: OrgMap;
	private view: EveningView | null = null;
	private districts: AreaCollection | null = null;
	private markers: Marker[] = [];
	private ready = false;
	private destroyed = false;
	private resizeObserver: ResizeObserver;

	constructor(private readonly opts: EveningMapOptions) {
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.stopCount = '0';
		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onFallBack: opts.onBasemapFailed,
			onStyleLoad: () => this.install(),
			cooperativeGestures: true
		});
		this.map = this.base.map;
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
	}

	setView(view: EveningView, refit: boolean) {
		this.view = view;
		this.opts.container.dataset.stopCount = String(view.rounds.reduce((n, r) => n + r.stops.length, 0));
		this.opts.container.dataset.roundStops = view.rounds.map((r) => r.stops.length).join(',');
		void this.apply(refit);
	}

	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		this.map.getSource<GeoJSONSource>('districts')?.setData(fc);
	}

	private features(v: EveningView): FeatureCollection {
		const features: Feature[] = [];
		for (const cell of v.free) {
			const f = hexFeature(cell, v.res);
			features.push({ ...f, properties: { round: -1 } } as Feature<Polygon>);
		}
		v.rounds.forEach((r, i) => {
			for (const cell of r.stops) features.push({ ...hexFeature(cell, v.res), properties: { round: i } } as Feature<Polygon>);
			const from = r.start ?? r.stops[0];
			if (from && r.stops.length) {
				const line: Feature<LineString> = {
					type: 'Feature',
					properties: { round: i, walk: true },
					geometry: { type: 'LineString', coordinates: [from, ...r.stops, from].map(centre) }
				};
				features.push(line);
			}
		});
		return { type: 'FeatureCollection', features };
	}

	private async apply(refit: boolean) {
		const source = this.map.getSource<GeoJSONSource>('zones');
		const v = this.view;
		if (!source || !v) return;
		this.opts.container.dataset.mapIdle = 'false';
		await source.setData(this.features(v));
		if (this.destroyed || this.view !== v) return;
		this.buildMarkers(v);
		if (refit) this.fit(v);
		this.map.once('idle', () => {
			if (!this.destroyed) this.opts.container.dataset.mapIdle = 'true';
		});
		this.map.triggerRepaint();
	}

	private fit(v: EveningView) {
		const bounds = new LngLatBounds();
		for (const r of v.rounds) for (const cell of [...(r.start ? [r.start] : []), ...r.stops]) bounds.extend(centre(cell));
		if (bounds.isEmpty()) for (const cell of v.free) bounds.extend(centre(cell));
		if (bounds.isEmpty()) {
			const [w, s, e, n] = this.opts.bbox;
			this.map.fitBounds([w, s, e, n], { padding: 16, animate: false });
		} else this.map.fitBounds(bounds, { padding: 40, maxZoom: 16, animate: false });
	}

	/** Stop labels and starts as HTML markers: the plain style has no glyphs for text layers. */
	private buildMarkers(v: EveningView) {
		for (const m of this.markers) m.remove();
		this.markers = [];
		v.rounds.forEach((r, i) => {
			const style = roundStyle(i);
			r.stops.forEach((cell, k) => {
				const el = document.createElement('div');
				el.className = 'evening-stop';
				el.style.setProperty('--round', style.colour);
				el.textContent = `${style.letter}${k + 1}`;
				el.setAttribute('aria-hidden', 'true');
				this.markers.push(new Marker({ element: el, anchor: 'center' }).setLngLat(centre(cell)).addTo(this.map));
			});
			if (r.start) {
				const el = document.createElement('div');
				el.className = 'evening-start';
				el.style.setProperty('--round', style.colour);
				el.textContent = style.letter;
				el.setAttribute('aria-hidden', 'true');
				this.markers.push(new Marker({ element: el, anchor: 'bottom' }).setLngLat(centre(r.start)).addTo(this.map));
			}
		});
	}

	private install() {
		const map = this.map;
		map.addSource('zones', { type: 'geojson', data: EMPTY });
		addDistrictBackdrop(map, this.districts, this.base.plain);
		const colour = ['match', ['get', 'round'], ...EVENING_ROUND_STYLES.flatMap((s, i) => [i, s.colour]), EVENING_FREE_COLOUR] as never;
		const zone = ['==', ['geometry-type'], 'Polygon'] as never;
		map.addLayer({
			id: 'evening-fill',
			type: 'fill',
			source: 'zones',
			filter: zone,
			paint: { 'fill-color': colour, 'fill-opacity': ['case', ['==', ['get', 'round'], -1], 0.05, 0.45] }
		});
		map.addLayer({
			id: 'evening-free',
			type: 'line',
			source: 'zones',
			filter: ['all', zone, ['==', ['get', 'round'], -1]],
			paint: { 'line-color': EVENING_FREE_COLOUR, 'line-width': 1.5, 'line-dasharray': [2, 2] }
		});
		map.addLayer({
			id: 'evening-chosen',
			type: 'line',
			source: 'zones',
			filter: ['all', zone, ['>=', ['get', 'round'], 0]],
			paint: { 'line-color': colour, 'line-width': 2.5 }
		});
		map.addLayer({
			id: 'evening-walk-halo',
			type: 'line',
			source: 'zones',
			filter: ['==', ['geometry-type'], 'LineString'],
			layout: { 'line-join': 'round' },
			paint: { 'line-color': '#ffffff', 'line-width': 6 }
		});
		// one layer per round: a dash pattern cannot come from a feature's property
		EVENING_ROUND_STYLES.forEach((s, i) =>
			map.addLayer({
				id: `evening-walk-${i}`,
				type: 'line',
				source: 'zones',
				filter: ['all', ['==', ['geometry-type'], 'LineString'], ['==', ['get', 'round'], i]],
				layout: { 'line-join': 'round' },
				paint: { 'line-color': '#000000', 'line-width': 2.5, 'line-dasharray': [...s.dash] }
			})
		);
		this.ready = true;
		void this.apply(true);
	}

	get isReady() {
		return this.ready;
	}

	destroy() {
		this.destroyed = true;
		this.resizeObserver.disconnect();
		for (const m of this.markers) m.remove();
		this.base.dispose();
	}
}
