// The one owner of the MapLibre map: basemap with a plain fallback, the hex layer (a custom WebGL
// layer over a HexMesh, recoloured by rewriting its colour array) in one of five modes (reach: contacts per cell;
// underserved: the zones' scores; hotspots: Gi* classes of contacts; months: one month's contacts
// on a scale fixed over the slider's months; change: the change per cell between two periods),
// areas, services, and the attributes tests read.
import { LngLat, type Map as MapLibreMap, Marker, Popup, type GeoJSONSource, type MapGeoJSONFeature } from 'maplibre-gl';
import { latLngToCell } from 'h3-js';
import { resolutionForZoom } from '$lib/domain/cells';
import type { AreaCollection, HexColumns, HotspotColumns, ServiceCollection, ServiceProps, UnderservedColumns } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import type { VocabularyEntry } from '$lib/domain/vocabulary';
import {
	fillColours,
	installOverlays,
	MAX_AREA_OVERLAYS,
	OUR_SOURCES,
	overlayCasing,
	overlayLine,
	overlaySource,
	serviceFilter
} from './atlas-layers';
import { overlayColour } from './colour';
import { installSignalLayer, setSignalData, signalFeatures, type SignalPoint } from './signal-layer';
import { OrgMap, type BasemapFailure } from './basemap';
import { labelPoint, ORG_FIT, requestBbox } from './geometry';
import { focusCollection, gridMinZoom } from './hexgeom';
import { HexGlLayer } from './hex-gl-layer';
import { colourArray, HexMesh } from './hex-mesh';
import { MeshBuilder } from './mesh-builder';
import {
	hexRecords,
	hexStats,
	hotspotStats,
	reachClasses,
	scoreClasses,
	spotClasses,
	SUPPRESSED_CLASS,
	underservedStats,
	type HexMode,
	type HexStats,
	type HotspotStats,
	type ModeStats,
	type UnderservedStats
} from './stats';
import { changeClasses, changeStats, monthStats, type ChangeStats, type MonthScale } from './time-stats';

/** One mode's data, kept while another mode shows so switching back needs no request. */
interface ModeState<M extends HexMode> {
	/** Resolution of the cells (0 before the first answer). */
	res: number;
	/** Feature-state class of every cell the mode draws (and so can hover, select and list). */
	classes: ReadonlyMap<string, number>;
	/** The summary handed to the page; null until the first answer. */
	stats: ModeStats[M] | null;
}

const noData = <M extends HexMode>(): ModeState<M> => ({ res: 0, classes: new Map(), stats: null });

export interface View {
	res: number;
	zoom: number;
	bbox: Bbox;
}

export interface AtlasMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	maxRes: number;
	minRes: number;
	serviceCategories: VocabularyEntry[];
	/** The area layers besides the district layer, in the order of the layer list (a slot each). */
	overlayLayers: readonly string[];
	uiStrings?: Record<string, string>;
	onView: (view: View) => void;
	onHover: (cell: string | null) => void;
	onSelect: (cell: string | null) => void;
	/** Content for a service's popup (built by the caller, in the UI language). */
	servicePopup: (props: ServiceProps) => HTMLElement;
	/** Counts may be suppressed ("< k": analysts): the hatch layer is added for them. */
	suppression?: boolean;
	/** Which background is drawn; `failure` when the configured basemap failed (see OrgMap). */
	onBasemap?: (kind: 'remote' | 'plain', failure?: BasemapFailure) => void;
}

const VIEW_DEBOUNCE_MS = 200;
/**
 * The mesh is built in slices of MESH_SLICE cells, yielding to the page once a task has spent
 * MESH_BUDGET_MS on it. 10,000 cells take about 50 ms in Chromium, so they go in one task: each
 * yield lets MapLibre render a frame first, and on software GL a frame costs 100 ms or more.
 */
const MESH_SLICE = 1000;
const MESH_BUDGET_MS = 80;
const nextTask = () => new Promise<void>((ok) => setTimeout(ok, 0));
/**
 * From this many new cells on, the mesh is built in a worker (mesh-builder.ts): the main thread
 * stays free for MapLibre's frames of the districts and services meanwhile. The worker starts with
 * this module, so its h3 is ready when the first answer is.
 */
const WORKER_MIN_CELLS = 2000;
const meshBuilder = typeof Worker === 'undefined' ? null : new MeshBuilder();

export class AtlasMap {
	readonly map: MapLibreMap;
	private readonly opts: AtlasMapOptions;
	private readonly base: OrgMap;
	private viewTimer: ReturnType<typeof setTimeout> | undefined;
	private pending = 0;
	private destroyed = false;
	private userMoved = false;
	private lastViewKey = '';
	/** True until the first hex response (or failure) arrived: idle before that means nothing. */
	private awaitingData = true;

	// Data we own, re-applied whenever the style (re)loads.
	private mode: HexMode = 'reach';
	/** The hex layer, its cells (of one resolution: they only grow until it changes) and colours. */
	private readonly hexLayer: HexGlLayer;
	private mesh: HexMesh | null = null;
	/** The mesh of each resolution seen (modes and zooms switch back without building again). */
	private readonly meshes = new Map<number, HexMesh>();
	private colours: Uint8Array | undefined;
	/** Bumped by each applyHexes: an older one still building its mesh gives up. */
	private applying = 0;
	/** What the hex-focus source shows (selected, hover, resolution). */
	private focusKey = '';
	/** Every mode's latest data; the active one is drawn. */
	private readonly modes: { [M in HexMode]: ModeState<M> } = {
		reach: noData(),
		underserved: noData(),
		hotspots: noData(),
		months: noData(),
		change: noData()
	};
	private districts: AreaCollection | null = null;
	/** The other area layers by slot (opts.overlayLayers), once loaded, and whether each is shown. */
	private overlays: { fc: AreaCollection | null; visible: boolean }[];
	private services: ServiceCollection | null = null;
	/** Signals as a layer (coordinators and workers; null: not shown, e.g. for analysts). */
	private signals: ReturnType<typeof signalFeatures> | null = null;
	private visibleCategories: number[];
	private selectedCell: string | null = null;
	private hoverCell: string | null = null;
	private labels: Marker[] = [];
	private overlayLabels: Marker[] = [];
	private popup: Popup | null = null;
	private resizeObserver: ResizeObserver;

	constructor(opts: AtlasMapOptions) {
		this.opts = opts;
		this.visibleCategories = opts.serviceCategories.map((c) => c.id);
		this.overlays = opts.overlayLayers.slice(0, MAX_AREA_OVERLAYS).map(() => ({ fc: null, visible: false }));
		this.hexLayer = new HexGlLayer({
			id: 'hex-fill',
			opacity: 0.8,
			// One resolution at every zoom (analysts): no grid while the cells are a few pixels.
			gridMinZoom: opts.minRes === opts.maxRes ? gridMinZoom(opts.maxRes, (opts.bbox[1] + opts.bbox[3]) / 2) : 0,
			gridOpacity: 0.7
		});
		const el = opts.container;
		el.dataset.areaLayers = '{}';
		el.dataset.areaDrawn = '{}';
		el.dataset.mapIdle = 'false';
		el.dataset.mode = this.mode;
		el.dataset.hexCount = '0';
		el.dataset.hexSum = '0';
		el.dataset.hovered = '';

		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onStyleLoad: () => this.installOverlays(),
			onFallBack: (reason) => opts.onBasemap?.('plain', reason)
		});
		this.map = this.base.map;
		// Until the user moves the map, keep the organisation's area fitted as the layout settles.
		this.map.on('movestart', (e) => {
			if ((e as { originalEvent?: Event }).originalEvent) this.userMoved = true;
		});
		this.map.once('load', () => {
			this.fitOrg();
			// On a phone, start with the attribution folded behind its (i) button.
			if (el.clientWidth < 640) el.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
		});
		this.map.on('moveend', () => this.scheduleView());
		this.map.on('zoom', () => this.updateLabelVisibility());
		this.map.on('idle', () => this.countDrawnAreas());
		this.bindPointer();
		this.resizeObserver = new ResizeObserver(() => {
			// Its first call (observing starts) and unchanged sizes need nothing: each resize and
			// refit costs MapLibre a frame, on software GL 50-200 ms.
			const canvas = this.map.getCanvas();
			if (el.clientWidth === canvas.clientWidth && el.clientHeight === canvas.clientHeight) return;
			this.map.resize();
			if (!this.userMoved) this.fitOrg();
		});
		this.resizeObserver.observe(el);
		opts.onBasemap?.(this.base.plain ? 'plain' : 'remote');
		// the map starts fitted to the organisation's bounds: its view is known now, so the requests
		// that depend on it (areas, a coordinator's hexes) go out without waiting for a timer
		this.publishView();
	}

	/** Fit the organisation's area, unless the map shows it so already (a move costs a frame). */
	private fitOrg() {
		const [w, s, e, n] = this.opts.bbox;
		const camera = this.map.cameraForBounds([w, s, e, n], { padding: ORG_FIT.padding });
		if (camera?.center && camera.zoom !== undefined) {
			const at = this.map.getCenter();
			const to = LngLat.convert(camera.center);
			const zoom = Math.min(Math.max(camera.zoom, this.map.getMinZoom()), this.map.getMaxZoom());
			if (Math.abs(zoom - this.map.getZoom()) < 1e-6 && Math.abs(at.lng - to.lng) < 1e-9 && Math.abs(at.lat - to.lat) < 1e-9) return;
		}
		this.map.fitBounds([w, s, e, n], { padding: ORG_FIT.padding, animate: false });
	}

	get res(): number {
		return resolutionForZoom(this.map.getZoom(), this.opts.maxRes, this.opts.minRes);
	}

	currentView(): View {
		const b = this.map.getBounds();
		const bbox = requestBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], this.opts.bbox);
		return { res: this.res, zoom: this.map.getZoom(), bbox };
	}

	private scheduleView(delay = VIEW_DEBOUNCE_MS) {
		clearTimeout(this.viewTimer);
		this.viewTimer = setTimeout(() => this.publishView(), delay);
	}

	private publishView() {
		const view = this.currentView();
		this.opts.container.dataset.zoom = view.zoom.toFixed(2);
		// A move that ends where the last one did (e.g. a refit on resize) needs no refetch.
		const key = `${view.res}:${view.bbox.map((v) => v.toFixed(5)).join(',')}`;
		if (key === this.lastViewKey) return;
		this.lastViewKey = key;
		this.opts.onView(view);
	}

	// ---- test/loading attributes -------------------------------------------------------------

	/**
	 * Work the map is waiting for (a hex fetch, a source update). data-map-idle turns "true" only
	 * when none is left, the first hex response has arrived, and the map has fired `idle`.
	 */
	beginUpdate() {
		this.pending++;
		this.opts.container.dataset.mapIdle = 'false';
	}

	/** The matching end of beginUpdate (after success, failure or abort). */
	endUpdate() {
		this.pending = Math.max(0, this.pending - 1);
		if (this.pending === 0) this.settle();
	}

	/** Mark "not idle" until the promise settles and the map has rendered the result. */
	track(p: Promise<unknown>) {
		this.beginUpdate();
		void p.catch((e) => console.warn('map update', e)).finally(() => this.endUpdate());
	}

	/** The hex request failed: idle may be reported without data (the UI shows the error). */
	dataFailed() {
		this.awaitingData = false;
	}

	private settle() {
		if (this.destroyed) return;
		this.map.once('idle', () => {
			if (this.pending === 0 && !this.awaitingData) this.opts.container.dataset.mapIdle = 'true';
		});
		this.map.triggerRepaint();
	}

	// ---- hexes ---------------------------------------------------------------------------------

	setHexes(data: HexColumns): HexStats {
		const records = hexRecords(data);
		const stats = hexStats(data, records);
		this.show('reach', { res: data.res, classes: reachClasses(records, stats.breaks), stats });
		return stats;
	}

	/** The zones' scores (GET /api/underserved); drawn when the underserved mode is on. */
	setUnderserved(data: UnderservedColumns): UnderservedStats {
		const stats = underservedStats(data);
		this.show('underserved', { res: data.res, classes: scoreClasses(stats.scores), stats });
		return stats;
	}

	/** The Gi* classes (GET /api/hotspots); drawn when the hotspots mode is on. */
	setHotspots(data: HotspotColumns): HotspotStats {
		const stats = hotspotStats(data);
		this.show('hotspots', { res: data.res, classes: spotClasses(stats.classes), stats });
		return stats;
	}

	/** One month of the slider (GET /api/hexes for that month), on the scale of all its months. */
	setMonth(data: HexColumns, scale: MonthScale): HexStats {
		const stats = monthStats(data, scale);
		this.show('months', { res: data.res, classes: reachClasses(stats.records, stats.breaks), stats });
		return stats;
	}

	/** Two periods' counts (two /api/hexes answers) as the change per cell. */
	setChange(a: HexColumns, b: HexColumns): ChangeStats {
		const stats = changeStats(a, b);
		this.show('change', { res: stats.res, classes: changeClasses(stats), stats });
		return stats;
	}

	/** Keep a mode's new data, and draw it when that mode is on. */
	private show<M extends HexMode>(mode: M, state: ModeState<M>) {
		(this.modes as Record<M, ModeState<M>>)[mode] = state;
		if (this.mode === mode) {
			this.awaitingData = false;
			this.redraw();
		}
	}

	/** Switch what the hex layer shows; the other modes' data is kept for switching back. */
	setMode(mode: HexMode) {
		if (mode === this.mode) return;
		this.mode = mode;
		// Until this mode's first data arrives, idle would report an empty layer as done.
		this.awaitingData = this.modes[mode].stats === null;
		this.redraw();
	}

	isDrawn(cell: string): boolean {
		return this.modes[this.mode].classes.has(cell);
	}

	private redraw() {
		if (this.selectedCell && !this.isDrawn(this.selectedCell)) this.setSelected(null);
		if (this.hoverCell && !this.isDrawn(this.hoverCell)) this.setHover(null);
		this.publishAttributes();
		this.track(this.applyHexes());
	}

	/** Resolution of the cells the hex layer holds (0 before the first answer). */
	private get hexRes(): number {
		return this.mesh?.res ?? 0;
	}

	/**
	 * The attributes tests read: data-mode, and data-res / data-hex-count of the active mode
	 * (hotspots also data-hot-count / data-cold-count).
	 */
	private publishAttributes() {
		const el = this.opts.container.dataset;
		el.mode = this.mode;
		if (this.mode === 'reach' || this.mode === 'months') {
			const s = this.modes[this.mode].stats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.count ?? 0);
			el.hexSum = s ? (s.sum === null ? '' : String(s.sum)) : '0';
			el.suppressed = String(s?.suppressed ?? 0);
		} else if (this.mode === 'underserved') {
			const s = this.modes.underserved.stats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.count ?? 0);
		} else if (this.mode === 'change') {
			const s = this.modes.change.stats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.cells.size ?? 0);
			el.changeUp = String(s?.counts.up ?? 0);
			el.changeDown = String(s?.counts.down ?? 0);
			el.changeTotals = s ? `${s.totals.a}:${s.totals.b}` : '';
		} else {
			const s = this.modes.hotspots.stats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.classes.size ?? 0);
			el.hotCount = String(s?.counts.hot ?? 0);
			el.coldCount = String(s?.counts.cold ?? 0);
		}
	}

	/**
	 * Adds the active mode's new cells to the mesh of its resolution, in
	 * slices, then writes every cell's colour and hands both to the hex layer.
	 */
	private async applyHexes(): Promise<void> {
		const run = ++this.applying;
		const { res, classes } = this.modes[this.mode];
		if (!res) {
			// a mode without data yet draws nothing (its cells come with its first answer)
			this.hexLayer.setCells(null, null);
			return;
		}
		let mesh = this.meshes.get(res);
		if (!mesh) this.meshes.set(res, (mesh = new HexMesh(res)));
		this.mesh = mesh;
		let missing: string[] = [];
		for (const cell of classes.keys()) if (!mesh.slot.has(cell)) missing.push(cell);
		if (meshBuilder && missing.length >= WORKER_MIN_CELLS) {
			const part = await meshBuilder.build(res, missing, mesh.origin);
			if (run !== this.applying || this.destroyed) return;
			// a later answer may have added cells of its own meanwhile: then build here, as without a worker
			if (part && !part.cells.some((c) => mesh.slot.has(c)) && (!mesh.origin || part.origin.every((v, i) => v === mesh.origin![i]))) {
				mesh.append(part);
			}
			missing = missing.filter((cell) => !mesh.slot.has(cell));
		}
		let start = performance.now();
		for (let i = 0; i < missing.length; i += MESH_SLICE) {
			if (performance.now() - start > MESH_BUDGET_MS) {
				await nextTask();
				if (run !== this.applying || this.destroyed) return;
				start = performance.now();
			}
			mesh.add(missing.slice(i, i + MESH_SLICE));
		}
		const scaled = this.mode === 'months' ? this.modes.months : this.modes.reach;
		const count = scaled.stats?.breaks.length ?? 0;
		const hatch = this.opts.suppression ? SUPPRESSED_CLASS : null;
		this.colours = colourArray(mesh, classes, fillColours(this.mode, count), hatch, this.colours);
		this.hexLayer.setCells(mesh, this.colours);
		this.updateFocus();
	}

	/** The selected and hovered cell's outlines (hex-focus-line). */
	private updateFocus() {
		const src = this.map.getSource<GeoJSONSource>('hex-focus');
		// unchanged outlines are not sent again: each setData costs a frame
		const key = this.selectedCell || this.hoverCell ? `${this.selectedCell}|${this.hoverCell}|${this.hexRes}` : '';
		if (!src || key === this.focusKey) return;
		this.focusKey = key;
		void src.setData(focusCollection(this.selectedCell, this.hoverCell, this.hexRes));
	}

	setSelected(cell: string | null) {
		if (cell === this.selectedCell) return;
		this.selectedCell = cell && this.isDrawn(cell) ? cell : null;
		this.updateFocus();
		this.opts.container.dataset.selected = this.selectedCell ?? '';
	}

	private setHover(cell: string | null) {
		if (cell === this.hoverCell) return;
		this.hoverCell = cell;
		this.updateFocus();
		this.opts.container.dataset.hovered = cell ?? '';
		this.opts.onHover(cell);
	}

	/** Outline a drawn cell as the pointer on the map would (from a list item), or none. */
	highlight(cell: string | null) {
		this.setHover(cell && this.isDrawn(cell) ? cell : null);
	}

	/** The drawn cell under the map centre (keyboard selection), or null. */
	cellAtCentre(): string | null {
		return this.cellAt(this.map.getCenter());
	}

	/** The drawn cell at a point (exact: the h3 cell containing it), or null. */
	private cellAt(p: LngLat): string | null {
		if (!this.hexRes) return null;
		const cell = latLngToCell(p.lat, p.lng, this.hexRes);
		return this.isDrawn(cell) ? cell : null;
	}

	/** Pan to a cell, keeping the zoom (and so the resolution) unchanged. */
	panToCell(cell: string, centre: { lat: number; lng: number }) {
		this.setSelected(cell);
		this.userMoved = true;
		const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
		this.map.easeTo({ center: [centre.lng, centre.lat], duration: reduce ? 0 : 600 });
	}

	// ---- areas and services ----------------------------------------------------------------------

	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		const src = this.map.getSource<GeoJSONSource>('districts');
		if (src) this.track(src.setData(fc));
		this.buildLabels();
	}

	/** The outlines of one of the other area layers (drawn when the layer list shows it). */
	setAreaLayer(layer: string, fc: AreaCollection) {
		const i = this.opts.overlayLayers.indexOf(layer);
		if (i < 0 || i >= this.overlays.length) return;
		this.overlays[i]!.fc = fc;
		const src = this.map.getSource<GeoJSONSource>(overlaySource(i));
		if (src) this.track(src.setData(fc));
		this.buildOverlayLabels();
	}

	/** Which of the other area layers are shown (the layer list's checked boxes). */
	setShownLayers(layers: readonly string[]) {
		this.overlays.forEach((o, i) => {
			o.visible = layers.includes(this.opts.overlayLayers[i]!);
			for (const id of [overlayCasing(i), overlayLine(i)])
				if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', o.visible ? 'visible' : 'none');
		});
		this.buildOverlayLabels();
		this.map.triggerRepaint();
	}

	/** Names of the shown overlays' areas, in their outline colour (HTML markers: no glyphs needed). */
	private buildOverlayLabels() {
		for (const m of this.overlayLabels) m.remove();
		this.overlayLabels = [];
		const shown: Record<string, number> = {};
		this.overlays.forEach((o, i) => {
			if (!o.visible || !o.fc) return;
			shown[this.opts.overlayLayers[i]!] = o.fc.features.length;
			for (const f of o.fc.features) {
				if (!f.geometry) continue;
				const el = document.createElement('div');
				el.className = 'district-label area-label';
				el.style.color = overlayColour(i);
				el.textContent = f.properties.name;
				el.setAttribute('aria-hidden', 'true');
				this.overlayLabels.push(new Marker({ element: el, anchor: 'center' }).setLngLat(labelPoint(f.geometry)).addTo(this.map));
			}
		});
		this.opts.container.dataset.areaLayers = JSON.stringify(shown);
	}

	/** data-area-drawn: per shown overlay, how many of its areas the map has rendered (tests read it). */
	private countDrawnAreas() {
		const drawn: Record<string, number> = {};
		this.overlays.forEach((o, i) => {
			if (!o.visible || !this.map.getLayer(overlayLine(i))) return;
			const codes = new Set(this.map.queryRenderedFeatures({ layers: [overlayLine(i)] }).map((f) => String(f.properties?.code)));
			drawn[this.opts.overlayLayers[i]!] = codes.size;
		});
		this.opts.container.dataset.areaDrawn = JSON.stringify(drawn);
	}

	setServices(fc: ServiceCollection) {
		this.services = fc;
		const src = this.map.getSource<GeoJSONSource>('services');
		if (src) this.track(src.setData(fc));
	}

	private installSignals() {
		if (!this.signals) return;
		installSignalLayer(this.map, this.signals, { cluster: true });
		// for tests: the layer is on the map
		this.opts.container.dataset.signalLayer = 'true';
	}

	/** The signals layer's points (clustered where dense; open ones stand out). */
	setSignals(points: readonly SignalPoint[]) {
		this.signals = signalFeatures(points);
		this.opts.container.dataset.signalCount = String(points.length);
		// before the style's first load, installOverlays adds the layer with these points
		if (!this.map.getSource('districts')) return;
		if (!this.map.getSource('signals')) this.installSignals();
		else {
			const p = setSignalData(this.map, this.signals);
			if (p) this.track(p);
		}
	}

	setVisibleCategories(ids: number[]) {
		this.visibleCategories = [...ids];
		if (this.map.getLayer('services')) this.map.setFilter('services', serviceFilter(this.visibleCategories));
		if (this.popup && !this.visibleCategories.length) this.popup.remove();
	}

	private buildLabels() {
		for (const m of this.labels) m.remove();
		this.labels = [];
		for (const f of this.districts?.features ?? []) {
			if (!f.geometry) continue;
			const el = document.createElement('div');
			el.className = 'district-label';
			el.textContent = f.properties.name;
			el.setAttribute('aria-hidden', 'true');
			this.labels.push(new Marker({ element: el, anchor: 'center' }).setLngLat(labelPoint(f.geometry)).addTo(this.map));
		}
		this.updateLabelVisibility();
	}

	private updateLabelVisibility() {
		this.opts.container.classList.toggle('labels-hidden', this.map.getZoom() < 10.8);
	}

	// ---- style (re)installation ------------------------------------------------------------------

	private installOverlays() {
		installOverlays(this.map, {
			plain: this.base.plain,
			serviceCategories: this.opts.serviceCategories,
			visibleCategories: this.visibleCategories,
			districts: this.districts,
			overlays: this.overlays,
			services: this.services,
			hexLayer: this.hexLayer
		});
		if (this.signals) this.installSignals();
		// a new hex-focus source: empty
		this.focusKey = '';
		if (this.selectedCell || this.hoverCell) this.updateFocus();
		this.map.triggerRepaint();
	}

	// ---- pointer -----------------------------------------------------------------------------

	private bindPointer() {
		const map = this.map;
		// the service icon under the pointer; a cell is found by its h3 index, no rendered features
		const serviceAt = (point: { x: number; y: number }) =>
			map.getLayer('services') ? map.queryRenderedFeatures([point.x, point.y], { layers: ['services'] })[0] : undefined;
		map.on('mousemove', (e) => {
			const service = serviceAt(e.point);
			const hex = this.cellAt(e.lngLat);
			map.getCanvas().style.cursor = service || hex ? 'pointer' : '';
			this.setHover(hex);
		});
		map.getCanvas().addEventListener('mouseleave', () => this.setHover(null));
		map.on('click', (e) => {
			const service = serviceAt(e.point);
			if (service) return this.showServicePopup(service);
			const cell = this.cellAt(e.lngLat);
			this.setSelected(cell);
			this.opts.onSelect(cell);
		});
	}

	private showServicePopup(f: MapGeoJSONFeature) {
		const geom = f.geometry as { type: string; coordinates: [number, number] };
		this.popup?.remove();
		this.popup = new Popup({ closeButton: true, maxWidth: '280px', focusAfterOpen: true })
			.setLngLat(geom.coordinates)
			.setDOMContent(this.opts.servicePopup(f.properties as ServiceProps))
			.addTo(this.map);
	}

	closePopup() {
		this.popup?.remove();
		this.popup = null;
	}

	setCanvasLabel(label: string) {
		this.map.getCanvas().setAttribute('aria-label', label);
	}

	destroy() {
		this.destroyed = true;
		clearTimeout(this.viewTimer);
		this.resizeObserver.disconnect();
		this.popup?.remove();
		for (const m of [...this.labels, ...this.overlayLabels]) m.remove();
		this.base.dispose();
	}
}
