// A street round's map (/rounds/[id]): the candidate zones as dashed hexagon outlines, the chosen
// ones filled and numbered in walking order, the walk from the start through them and back, and
// the start. A click on a zone hands its cell to the page (which toggles it; the page's checkbox
// list is the keyboard path). Like ZoneMap it owns its MapLibre instance through OrgMap and
// reports data-map-idle for tests.
import { installSignalLayer, setSignalData, signalFeatures, type SignalPoint } from './signal-layer';
import {
	LngLatBounds,
	Marker,
	type ExpressionSpecification,
	type GeoJSONSource,
	type Map as MapLibreMap,
	type MapLayerMouseEvent
} from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import { cellCentre } from '$lib/domain/cells';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { addDistrictBackdrop, OrgMap, type BasemapFailure } from './basemap';
import { hexFeature } from './hexgeom';
import { ROUTE_COLOURS } from './route-map-colours';

const OUR_SOURCES = new Set(['districts', 'zones', 'walk', 'signals']);
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** The layers that draw the route (hidden while a picture of another route is taken). */
const ROUTE_LAYERS = ['zone-fill', 'candidate-line', 'chosen-line', 'walk-halo', 'walk-line'];

/** What a view draws, to tell two views apart. */
const viewKey = (v: RouteView | null) => (v ? JSON.stringify([v.start, v.stops, v.candidates, v.res]) : '');

export interface RouteMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
	/** A zone was clicked; absent for read-only maps. */
	onToggle?: (cell: string) => void;
	/** The configured basemap failed and the plain background replaced it (see OrgMap). */
	onBasemapFailed?: (reason: BasemapFailure) => void;
}

export interface RouteView {
	/** The start's cell, or null (the round starts in its first zone). */
	start: string | null;
	/** Chosen zones in walking order. */
	stops: string[];
	/** Zones that may be chosen (drawn as outlines when not chosen). */
	candidates: string[];
	res: number;
}

type ZoneFeature = Feature<Polygon, { cell: string; chosen: boolean }>;

export class RouteMap {
	readonly map: MapLibreMap;
	private readonly opts: RouteMapOptions;
	private readonly base: OrgMap;
	private styleReady = false;
	private destroyed = false;
	private view: RouteView | null = null;
	private districts: AreaCollection | null = null;
	private markers: Marker[] = [];
	private resizeObserver: ResizeObserver;
	private signals: ReturnType<typeof signalFeatures> = signalFeatures([]);

	constructor(opts: RouteMapOptions) {
		this.opts = opts;
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.stopCount = '0';
		el.dataset.candidateCount = '0';
		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onFallBack: opts.onBasemapFailed,
			onStyleLoad: () => this.install(),
			// The map sits in a scrolling page: one finger scrolls the page, two move the map.
			cooperativeGestures: true
		});
		this.map = this.base.map;
		// Start with the attribution folded behind its (i) button: on a phone it would cover the
		// route. MapLibre unfolds it when it first fills it in, which may come after 'load'.
		const fold = () => el.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
		this.map.once('load', fold);
		this.map.once('idle', fold);
		if (opts.onToggle) {
			const toggle = opts.onToggle;
			this.map.on('click', 'zone-fill', (e: MapLayerMouseEvent) => {
				const cell = e.features?.[0]?.properties?.cell;
				if (typeof cell === 'string') toggle(cell);
			});
			this.map.on('mouseenter', 'zone-fill', () => (this.map.getCanvas().style.cursor = 'pointer'));
			this.map.on('mouseleave', 'zone-fill', () => (this.map.getCanvas().style.cursor = ''));
		}
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
	}

	/** Draws the route; `refit` fits the map to everything drawn (a new start, new candidates). */
	setView(view: RouteView, refit: boolean) {
		this.view = view;
		const el = this.opts.container;
		el.dataset.stopCount = String(view.stops.length);
		el.dataset.candidateCount = String(view.candidates.length);
		void this.apply(refit);
	}

	/** The round's signals and those near its zones, as points (not clustered: a round is small). */
	setSignals(points: readonly SignalPoint[]) {
		this.signals = signalFeatures(points);
		this.opts.container.dataset.signalCount = String(points.length);
		if (this.styleReady) void setSignalData(this.map, this.signals);
	}

	/** District outlines under the zones, for orientation. */
	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		this.map.getSource<GeoJSONSource>('districts')?.setData(fc);
	}

	/**
	 * The map as a PNG data URL, for printing: the WebGL canvas is cleared after each frame and
	 * resized for the print layout, so a picture drawn now is printed instead. The numbers and the
	 * start are HTML markers on screen; they are drawn into the picture. With `printView` other than
	 * the view on screen (a coordinator's draft and candidates), the picture shows `printView` (the
	 * saved route) instead: the route layers are hidden for one frame, fitted to it, and the route
	 * is drawn into the picture; then the screen's view is put back. Null when it fails.
	 */
	snapshot(printView?: RouteView): string | null {
		const v = printView ?? this.view;
		const own = !!printView && viewKey(printView) !== viewKey(this.view);
		const camera = { center: this.map.getCenter(), zoom: this.map.getZoom(), bearing: this.map.getBearing(), pitch: this.map.getPitch() };
		try {
			if (own) {
				for (const id of ROUTE_LAYERS) this.map.setLayoutProperty(id, 'visibility', 'none');
				this.fit(printView);
			}
			this.map.redraw(); // synchronous: the WebGL buffer holds this frame until the task ends
			const gl = this.map.getCanvas();
			const out = document.createElement('canvas');
			out.width = gl.width;
			out.height = gl.height;
			const ctx = out.getContext('2d')!;
			ctx.drawImage(gl, 0, 0);
			ctx.scale(gl.width / gl.clientWidth, gl.height / gl.clientHeight);
			if (v) {
				const at = (lng: number, lat: number) => this.map.project([lng, lat]);
				const centre = (cell: string) => {
					const { lat, lng } = cellCentre(cell);
					return at(lng, lat);
				};
				if (own) {
					for (const cell of v.stops)
						drawHex(
							ctx,
							hexFeature(cell, v.res).geometry.coordinates[0]!.map(([lng, lat]) => at(lng!, lat!))
						);
					const walk = this.walk(v).features[0]?.geometry.coordinates ?? [];
					drawWalk(
						ctx,
						walk.map(([lng, lat]) => at(lng!, lat!))
					);
				}
				v.stops.forEach((cell, i) => drawNumber(ctx, centre(cell), String(i + 1)));
				if (v.start) drawPin(ctx, centre(v.start));
			}
			return out.toDataURL('image/png');
		} catch (e) {
			console.warn('map snapshot', e);
			return null;
		} finally {
			if (own) {
				for (const id of ROUTE_LAYERS) this.map.setLayoutProperty(id, 'visibility', 'visible');
				this.map.jumpTo(camera);
			}
		}
	}

	private zones(v: RouteView): FeatureCollection<Polygon, { cell: string; chosen: boolean }> {
		const chosen = new Set(v.stops);
		const cells = [...v.stops, ...v.candidates.filter((c) => !chosen.has(c))];
		const features: ZoneFeature[] = cells.map((cell) => {
			const f = hexFeature(cell, v.res);
			return { type: 'Feature', geometry: f.geometry, properties: { cell, chosen: chosen.has(cell) } };
		});
		return { type: 'FeatureCollection', features };
	}

	/** Start → stops → start; without a start the round loops back to its first zone. */
	private walk(v: RouteView): FeatureCollection<LineString> {
		const path = v.start ? [v.start, ...v.stops, v.start] : v.stops.length > 1 ? [...v.stops, v.stops[0]!] : [];
		if (v.stops.length === 0 || path.length === 0) return EMPTY as FeatureCollection<LineString>;
		const coordinates = path.map((c) => {
			const { lat, lng } = cellCentre(c);
			return [lng, lat];
		});
		return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } }] };
	}

	private fit(v: RouteView) {
		const bounds = new LngLatBounds();
		for (const cell of [...v.stops, ...v.candidates]) {
			for (const [lng, lat] of hexFeature(cell, v.res).geometry.coordinates[0]!) bounds.extend([lng!, lat!]);
		}
		if (v.start) {
			const { lat, lng } = cellCentre(v.start);
			bounds.extend([lng, lat]);
		}
		if (bounds.isEmpty()) {
			const [w, s, e, n] = this.opts.bbox;
			this.map.fitBounds([w, s, e, n], { padding: 16, animate: false });
		} else {
			this.map.fitBounds(bounds, { padding: 48, maxZoom: 16, animate: false });
		}
	}

	private async apply(refit: boolean) {
		const zones = this.map.getSource<GeoJSONSource>('zones');
		const walk = this.map.getSource<GeoJSONSource>('walk');
		const v = this.view;
		if (!zones || !walk || !v) return; // install() applies it once the style is there
		this.opts.container.dataset.mapIdle = 'false';
		await Promise.all([zones.setData(this.zones(v)), walk.setData(this.walk(v))]);
		if (this.destroyed || this.view !== v) return; // a newer view is on its way
		this.buildMarkers(v);
		if (refit) this.fit(v);
		this.settle();
	}

	private settle() {
		if (this.destroyed || !this.styleReady) return;
		this.map.once('idle', () => {
			if (!this.destroyed) this.opts.container.dataset.mapIdle = 'true';
		});
		this.map.triggerRepaint();
	}

	/** Numbers and the start as HTML markers: the plain style has no glyphs for text layers. */
	private buildMarkers(v: RouteView) {
		for (const m of this.markers) m.remove();
		const at = (cell: string): [number, number] => {
			const { lat, lng } = cellCentre(cell);
			return [lng, lat];
		};
		this.markers = v.stops.map((cell, i) => {
			const el = document.createElement('div');
			el.className = 'route-stop-number';
			el.textContent = String(i + 1);
			el.setAttribute('aria-hidden', 'true');
			return new Marker({ element: el, anchor: 'center' }).setLngLat(at(cell)).addTo(this.map);
		});
		if (v.start) {
			const el = document.createElement('div');
			el.className = 'route-start';
			el.setAttribute('aria-hidden', 'true');
			// a pin (not a circle like the numbers), so the start reads by shape as well
			this.markers.push(new Marker({ element: el, anchor: 'bottom' }).setLngLat(at(v.start)).addTo(this.map));
		}
	}

	private install() {
		const map = this.map;
		const C = ROUTE_COLOURS;
		map.addSource('zones', { type: 'geojson', data: EMPTY });
		map.addSource('walk', { type: 'geojson', data: EMPTY });
		addDistrictBackdrop(map, this.districts, this.base.plain);
		const chosen: ExpressionSpecification = ['==', ['get', 'chosen'], true];
		// A faint fill on candidates too: it makes the whole hexagon clickable, not only its edge.
		map.addLayer({
			id: 'zone-fill',
			type: 'fill',
			source: 'zones',
			paint: {
				'fill-color': ['case', chosen, C.chosen, C.candidate],
				'fill-opacity': ['case', chosen, 0.45, 0.08]
			}
		});
		map.addLayer({
			id: 'candidate-line',
			type: 'line',
			source: 'zones',
			filter: ['!', chosen],
			paint: { 'line-color': C.candidate, 'line-width': 2, 'line-dasharray': [2, 1.5] }
		});
		map.addLayer({ id: 'chosen-line', type: 'line', source: 'zones', filter: chosen, paint: { 'line-color': C.chosen, 'line-width': 3 } });
		// A white halo under a black line reads on any basemap and for every colour vision.
		map.addLayer({
			id: 'walk-halo',
			type: 'line',
			source: 'walk',
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: { 'line-color': C.halo, 'line-width': 6 }
		});
		map.addLayer({
			id: 'walk-line',
			type: 'line',
			source: 'walk',
			layout: { 'line-join': 'round', 'line-cap': 'round' },
			paint: { 'line-color': C.line, 'line-width': 2.5 }
		});
		installSignalLayer(map, this.signals, { cluster: false });
		this.styleReady = true;
		void this.apply(true);
	}

	destroy() {
		this.destroyed = true;
		this.resizeObserver.disconnect();
		for (const m of this.markers) m.remove();
		this.base.dispose();
	}
}

/** A chosen zone as the screen shows it (the chosen layers' fill and outline). */
function drawHex(ctx: CanvasRenderingContext2D, ring: { x: number; y: number }[]) {
	ctx.beginPath();
	ring.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
	ctx.closePath();
	ctx.globalAlpha = 0.45;
	ctx.fillStyle = ROUTE_COLOURS.chosen;
	ctx.fill();
	ctx.globalAlpha = 1;
	ctx.lineWidth = 3;
	ctx.strokeStyle = ROUTE_COLOURS.chosen;
	ctx.stroke();
}

/** The walk as the screen shows it: a black line on a white halo. */
function drawWalk(ctx: CanvasRenderingContext2D, path: { x: number; y: number }[]) {
	if (path.length < 2) return;
	ctx.lineJoin = 'round';
	ctx.lineCap = 'round';
	for (const [colour, width] of [
		[ROUTE_COLOURS.halo, 6],
		[ROUTE_COLOURS.line, 2.5]
	] as const) {
		ctx.beginPath();
		path.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
		ctx.lineWidth = width;
		ctx.strokeStyle = colour;
		ctx.stroke();
	}
}

/** A stop's number as the screen shows it (RouteMapView's .route-stop-number). */
function drawNumber(ctx: CanvasRenderingContext2D, p: { x: number; y: number }, text: string) {
	ctx.beginPath();
	ctx.arc(p.x, p.y, 12, 0, 2 * Math.PI);
	ctx.fillStyle = '#ffffff';
	ctx.fill();
	ctx.lineWidth = 3;
	ctx.strokeStyle = ROUTE_COLOURS.chosen;
	ctx.stroke();
	ctx.fillStyle = '#000000';
	ctx.font = 'bold 13px system-ui, sans-serif';
	ctx.textAlign = 'center';
	ctx.textBaseline = 'middle';
	ctx.fillText(text, p.x, p.y + 0.5);
}

/** The start as the screen shows it: a black pin with a white dot, its tip on the point. */
function drawPin(ctx: CanvasRenderingContext2D, p: { x: number; y: number }) {
	const r = 11;
	const cy = p.y - r * Math.SQRT2;
	ctx.beginPath();
	ctx.moveTo(p.x, p.y);
	ctx.arc(p.x, cy, r, Math.PI * 0.75, Math.PI * 0.25);
	ctx.closePath();
	ctx.fillStyle = '#000000';
	ctx.fill();
	ctx.lineWidth = 2;
	ctx.strokeStyle = '#ffffff';
	ctx.stroke();
	ctx.beginPath();
	ctx.arc(p.x, cy, 4.5, 0, 2 * Math.PI);
	ctx.fillStyle = '#ffffff';
	ctx.fill();
}
