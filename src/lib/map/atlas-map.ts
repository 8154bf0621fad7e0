// The one owner of the MapLibre map: basemap with a plain fallback, the hex layer (one GeoJSON
// source, recoloured through feature-state) in one of three modes (reach: contacts per cell;
// underserved: the zones' scores; hotspots: Gi* classes of contacts), areas, services, and the
// attributes tests read.
import {
	type Map as MapLibreMap,
	Marker,
	Popup,
	type ExpressionSpecification,
	type GeoJSONSource,
	type MapGeoJSONFeature
} from 'maplibre-gl';
import { latLngToCell } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { resolutionForZoom, unpackCell } from '$lib/domain/cells';
import type {
	AreaCollection,
	Bbox,
	HexColumns,
	HotspotColumns,
	Reason,
	ServiceCollection,
	ServiceProps,
	UnderservedColumns,
	VocabularyEntry
} from '$lib/api/map';
import {
	classBreaks,
	classOf,
	HOTSPOT_COLOURS,
	hotspotIndex,
	legendClasses,
	MAGMA,
	paletteFor,
	SCORE_BREAKS,
	scoreLegend,
	type LegendClass
} from './colour';
import { OrgMap } from './basemap';
import { labelPoint } from './geometry';
import { hexCollection } from './hexgeom';
import { HATCH_IMAGE, hatchImageData, iconImageData, RATIO_PX } from './icons';


/** One drawn cell. For analysts a null is a suppressed figure ("< k"), never a zero. */
export interface HexRecord {
	cell: string;
	contacts: number | null;
	persons: number | null;
	referrals: number | null;
	daysSinceLast: number | null;
}

export interface HexStats {
	res: number;
	from: string;
	to: string;
	breaks: number[];
	legend: LegendClass[];
	/** Drawn cells, suppressed ones included. */
	count: number;
	/** Cells drawn as "< k" (analysts only). */
	suppressed: number;
	/** Contacts in view, from the server's totals (null: below k for an analyst). */
	sum: number | null;
	/** Suppression threshold for analysts; null when counts are exact. */
	k: number | null;
	/** Drawn cells (contacts > 0 or suppressed), most contacts first, suppressed last. */
	records: HexRecord[];
}

/** What the hex layer shows: contacts per cell, the underserved score per zone, or Gi* classes. */
export type HexMode = 'reach' | 'underserved' | 'hotspots';

export interface HotspotStats {
	res: number;
	from: string;
	to: string;
	counts: { hot: number; cold: number };
	/** The analysts' threshold the counts behind the statistic were published with; else null. */
	k: number | null;
	/** Class code (3…1 hot, −1…−3 cold) of every classified cell. */
	classes: ReadonlyMap<string, number>;
}

export interface UnderservedZone {
	cell: string;
	score: number;
	/** Strongest first. */
	reasons: Reason[];
}

export interface UnderservedStats {
	res: number;
	from: string;
	to: string;
	legend: LegendClass[];
	/** Zones drawn (scoring 5 or more). */
	count: number;
	/** Zones scored, the ones below 5 included. */
	zoneCount: number;
	populationLayer: string | null;
	/** The analysts' threshold the figures behind the scores were published with; else null. */
	k: number | null;
	/** The highest drawn zones, highest first. */
	top: UnderservedZone[];
	/** Score of every drawn zone. */
	scores: ReadonlyMap<string, number>;
}

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
	uiStrings?: Record<string, string>;
	onView: (view: View) => void;
	onHover: (cell: string | null) => void;
	onSelect: (cell: string | null) => void;
	/** Content for a service's popup (built by the caller, in the UI language). */
	servicePopup: (props: ServiceProps) => HTMLElement;
	onBasemap?: (kind: 'remote' | 'plain') => void;
}

const VIEW_DEBOUNCE_MS = 200;
const OUR_SOURCES = new Set(['hexes', 'districts', 'sectors', 'services']);
const NO_CLASS = -1;
/** Feature-state class of a cell whose count is suppressed for this role ("< k"). */
const SUPPRESSED = -2;
/** Neutral grey under a hatch: reads as "hidden", not as a low count, for every colour vision. */
export const SUPPRESSED_FILL = '#c9ccd1';

const cls: ExpressionSpecification = ['coalesce', ['feature-state', 'cls'], NO_CLASS];
const drawn: ExpressionSpecification = ['!=', cls, NO_CLASS];
const isSuppressed: ExpressionSpecification = ['==', cls, SUPPRESSED];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

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
	/** Resolution and cells of the hex source (grows while the resolution stays the same). */
	private hexRes = 0;
	private sourceCells = new Set<string>();
	private reachRes = 0;
	private values = new Map<string, HexRecord>();
	private breaks: number[] = [];
	private reachStats: HexStats | null = null;
	private scoreRes = 0;
	private scores = new Map<string, number>();
	private zoneStats: UnderservedStats | null = null;
	private spotRes = 0;
	private spots = new Map<string, number>();
	private spotStats: HotspotStats | null = null;
	private districts: AreaCollection | null = null;
	private sectors: AreaCollection | null = null;
	private services: ServiceCollection | null = null;
	private visibleCategories: number[];
	private sectorsVisible = false;
	private selectedCell: string | null = null;
	private hoverCell: string | null = null;
	private labels: Marker[] = [];
	private popup: Popup | null = null;
	private resizeObserver: ResizeObserver;

	constructor(opts: AtlasMapOptions) {
		this.opts = opts;
		this.visibleCategories = opts.serviceCategories.map((c) => c.id);
		const el = opts.container;
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
			onFallBack: () => opts.onBasemap?.('plain')
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
		this.bindPointer();
		this.resizeObserver = new ResizeObserver(() => {
			this.map.resize();
			if (!this.userMoved) this.fitOrg();
		});
		this.resizeObserver.observe(el);
		opts.onBasemap?.(this.base.plain ? 'plain' : 'remote');
		this.scheduleView(0);
	}

	private fitOrg() {
		const [w, s, e, n] = this.opts.bbox;
		this.map.fitBounds([w, s, e, n], { padding: 16, animate: false });
	}

	get res(): number {
		return resolutionForZoom(this.map.getZoom(), this.opts.maxRes, this.opts.minRes);
	}

	currentView(): View {
		const b = this.map.getBounds();
		// Pad by 10% so small pans do not show an empty edge before the refetch lands.
		const dx = (b.getEast() - b.getWest()) * 0.1;
		const dy = (b.getNorth() - b.getSouth()) * 0.1;
		const [ow, os, oe, on] = this.opts.bbox;
		const m = 0.02; // keep a margin around the organisation's area
		const bbox: Bbox = [
			Math.max(b.getWest() - dx, ow - m),
			Math.max(b.getSouth() - dy, os - m),
			Math.min(b.getEast() + dx, oe + m),
			Math.min(b.getNorth() + dy, on + m)
		];
		return { res: this.res, zoom: this.map.getZoom(), bbox };
	}

	private scheduleView(delay = VIEW_DEBOUNCE_MS) {
		clearTimeout(this.viewTimer);
		this.viewTimer = setTimeout(() => {
			const view = this.currentView();
			this.opts.container.dataset.zoom = view.zoom.toFixed(2);
			// A move that ends where the last one did (e.g. a refit on resize) needs no refetch.
			const key = `${view.res}:${view.bbox.map((v) => v.toFixed(5)).join(',')}`;
			if (key === this.lastViewKey) return;
			this.lastViewKey = key;
			this.opts.onView(view);
		}, delay);
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
		const res = data.res;
		const records: HexRecord[] = [];
		this.values = new Map();
		const k = data.k ?? null;
		// A null (suppressed) figure stays null; only a missing entry of an exact column means 0.
		const value = (col: (number | null)[], i: number) => {
			const v = col[i];
			return v === undefined ? 0 : v;
		};
		let suppressed = 0;
		for (let i = 0; i < data.cells.length; i++) {
			const contacts = value(data.contacts, i);
			if (contacts !== null && !(contacts > 0)) continue;
			if (contacts === null) suppressed++;
			const r: HexRecord = {
				cell: unpackCell(data.cells[i]!, res),
				contacts,
				persons: value(data.persons, i),
				referrals: value(data.referrals, i),
				daysSinceLast: value(data.daysSinceLast, i)
			};
			records.push(r);
			this.values.set(r.cell, r);
		}
		const shown = records.flatMap((r) => (r.contacts === null ? [] : [r.contacts]));
		this.breaks = classBreaks(shown);
		this.reachRes = res;

		records.sort((a, b) => (b.contacts ?? -1) - (a.contacts ?? -1) || a.cell.localeCompare(b.cell));
		// Totals come from the server (computed from true counts, then published); summing
		// rounded values here would be wrong, and for analysts a disclosure risk.
		const sum = data.totals ? data.totals.contacts : shown.reduce((s, c) => s + c, 0);
		const max = shown.length ? Math.max(...shown) : 0;
		// Analysts' counts are multiples of 5: a class 5–9 would promise values that cannot occur.
		const legend = legendClasses(this.breaks, max, k === null ? 1 : 5);
		const stats: HexStats = { res, from: data.from, to: data.to, breaks: this.breaks, legend, count: records.length, suppressed, sum, k, records };
		this.reachStats = stats;
		if (this.mode === 'reach') {
			this.awaitingData = false;
			this.redraw();
		}
		return stats;
	}

	/** The zones' scores (GET /api/underserved); drawn when the underserved mode is on. */
	setUnderserved(data: UnderservedColumns): UnderservedStats {
		const res = data.res;
		this.scoreRes = res;
		this.scores = new Map(data.cells.map((packed, i) => [unpackCell(packed, res), data.scores[i]!]));
		// Only drawn zones are listed: a zone below 5 could not be shown on the map.
		const top = data.top
			.map((z) => ({ cell: unpackCell(z.cell, res), score: z.score, reasons: z.reasons }))
			.filter((z) => this.scores.has(z.cell));
		const stats: UnderservedStats = {
			res,
			from: data.from,
			to: data.to,
			legend: scoreLegend(),
			count: this.scores.size,
			zoneCount: data.zoneCount,
			populationLayer: data.populationLayer,
			k: data.published?.k ?? null,
			top,
			scores: this.scores
		};
		this.zoneStats = stats;
		if (this.mode === 'underserved') {
			this.awaitingData = false;
			this.redraw();
		}
		return stats;
	}

	/** The Gi* classes (GET /api/hotspots); drawn when the hotspots mode is on. */
	setHotspots(data: HotspotColumns): HotspotStats {
		const res = data.res;
		this.spotRes = res;
		this.spots = new Map(data.cells.map((packed, i) => [unpackCell(packed, res), data.classes[i]!]));
		const stats: HotspotStats = {
			res,
			from: data.from,
			to: data.to,
			counts: data.counts,
			k: data.published?.k ?? null,
			classes: this.spots
		};
		this.spotStats = stats;
		if (this.mode === 'hotspots') {
			this.awaitingData = false;
			this.redraw();
		}
		return stats;
	}

	/** Switch what the hex layer shows; the other modes' data is kept for switching back. */
	setMode(mode: HexMode) {
		if (mode === this.mode) return;
		this.mode = mode;
		// Until this mode's first data arrives, idle would report an empty layer as done.
		const data = { reach: this.reachStats, underserved: this.zoneStats, hotspots: this.spotStats }[mode];
		this.awaitingData = data === null;
		this.redraw();
	}

	/** Cells the active mode draws (and so can hover, select and list). */
	private drawnCells(): ReadonlyMap<string, unknown> {
		return this.mode === 'reach' ? this.values : this.mode === 'underserved' ? this.scores : this.spots;
	}

	isDrawn(cell: string): boolean {
		return this.drawnCells().has(cell);
	}

	/** Feature-state class of every drawn cell of the active mode. */
	private *cellClasses(): Generator<[string, number]> {
		if (this.mode === 'reach') {
			for (const [cell, r] of this.values) yield [cell, r.contacts === null ? SUPPRESSED : classOf(r.contacts, this.breaks)];
		} else if (this.mode === 'underserved') {
			for (const [cell, score] of this.scores) yield [cell, classOf(score, SCORE_BREAKS)];
		} else {
			for (const [cell, code] of this.spots) yield [cell, hotspotIndex(code)];
		}
	}

	/**
	 * Brings the source in line with the active mode: all new cells when the resolution changed,
	 * else only the missing ones (the source grows; undrawn cells stay transparent).
	 */
	private syncSource(): boolean {
		const res = this.mode === 'reach' ? this.reachRes : this.mode === 'underserved' ? this.scoreRes : this.spotRes;
		const cells = this.drawnCells();
		if (res !== this.hexRes) {
			this.hexRes = res;
			this.sourceCells = new Set(cells.keys());
			return true;
		}
		let grew = false;
		for (const c of cells.keys()) {
			if (!this.sourceCells.has(c)) {
				this.sourceCells.add(c);
				grew = true;
			}
		}
		return grew;
	}

	private redraw() {
		const dataChanged = this.syncSource();
		if (this.selectedCell && !this.isDrawn(this.selectedCell)) this.setSelected(null);
		if (this.hoverCell && !this.isDrawn(this.hoverCell)) this.setHover(null);
		this.publishAttributes();
		this.track(this.applyHexes(dataChanged));
	}

	/**
	 * The attributes tests read: data-mode, and data-res / data-hex-count of the active mode
	 * (hotspots also data-hot-count / data-cold-count).
	 */
	private publishAttributes() {
		const el = this.opts.container.dataset;
		el.mode = this.mode;
		if (this.mode === 'reach') {
			const s = this.reachStats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.count ?? 0);
			el.hexSum = s ? (s.sum === null ? '' : String(s.sum)) : '0';
			el.suppressed = String(s?.suppressed ?? 0);
		} else if (this.mode === 'underserved') {
			const s = this.zoneStats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.count ?? 0);
		} else {
			const s = this.spotStats;
			el.res = s ? String(s.res) : '';
			el.hexCount = String(s?.classes.size ?? 0);
			el.hotCount = String(s?.counts.hot ?? 0);
			el.coldCount = String(s?.counts.cold ?? 0);
		}
	}

	/** Push cells (only when the set grew or the resolution changed) and recolour via feature-state. */
	private async applyHexes(dataChanged: boolean): Promise<void> {
		const src = this.map.getSource<GeoJSONSource>('hexes');
		if (!src) return; // style not loaded yet: installOverlays applies everything
		this.map.setPaintProperty('hex-fill', 'fill-color', this.fillColour());
		const update = dataChanged ? src.setData(hexCollection(this.sourceCells, this.hexRes)) : Promise.resolve();
		this.map.removeFeatureState({ source: 'hexes' });
		for (const [cell, c] of this.cellClasses()) this.map.setFeatureState({ source: 'hexes', id: cell }, { cls: c });
		if (this.selectedCell) this.map.setFeatureState({ source: 'hexes', id: this.selectedCell }, { selected: true });
		if (this.hoverCell) this.map.setFeatureState({ source: 'hexes', id: this.hoverCell }, { hover: true });
		await update;
	}

	private fillColour(): ExpressionSpecification | string {
		const pairs =
			this.mode === 'reach'
				? [...paletteFor(this.breaks.length).flatMap((c, i) => [i, c]), SUPPRESSED, SUPPRESSED_FILL]
				: (this.mode === 'underserved' ? MAGMA : HOTSPOT_COLOURS).flatMap((c, i) => [i, c]);
		return ['match', cls, ...pairs, 'rgba(0,0,0,0)'] as unknown as ExpressionSpecification;
	}

	record(cell: string): HexRecord | undefined {
		return this.values.get(cell);
	}

	setSelected(cell: string | null) {
		if (cell === this.selectedCell) return;
		const had = this.map.getSource('hexes');
		if (had && this.selectedCell) this.map.setFeatureState({ source: 'hexes', id: this.selectedCell }, { selected: false });
		this.selectedCell = cell && this.isDrawn(cell) ? cell : null;
		if (had && this.selectedCell) this.map.setFeatureState({ source: 'hexes', id: this.selectedCell }, { selected: true });
		this.opts.container.dataset.selected = this.selectedCell ?? '';
	}

	private setHover(cell: string | null) {
		if (cell === this.hoverCell) return;
		// The list may highlight before the style has loaded; applyHexes sets the state then.
		const had = this.map.getSource('hexes');
		if (had && this.hoverCell) this.map.setFeatureState({ source: 'hexes', id: this.hoverCell }, { hover: false });
		this.hoverCell = cell;
		if (had && cell) this.map.setFeatureState({ source: 'hexes', id: cell }, { hover: true });
		this.opts.container.dataset.hovered = cell ?? '';
		this.opts.onHover(cell);
	}

	/** Outline a drawn cell as the pointer on the map would (from a list item), or none. */
	highlight(cell: string | null) {
		this.setHover(cell && this.isDrawn(cell) ? cell : null);
	}

	/** The drawn cell under the map centre (keyboard selection), or null. */
	cellAtCentre(): string | null {
		if (!this.hexRes) return null;
		const c = this.map.getCenter();
		const cell = latLngToCell(c.lat, c.lng, this.hexRes);
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

	setSectors(fc: AreaCollection) {
		this.sectors = fc;
		const src = this.map.getSource<GeoJSONSource>('sectors');
		if (src) this.track(src.setData(fc));
	}

	setSectorsVisible(visible: boolean) {
		this.sectorsVisible = visible;
		if (this.map.getLayer('sector-line')) this.map.setLayoutProperty('sector-line', 'visibility', visible ? 'visible' : 'none');
	}

	setServices(fc: ServiceCollection) {
		this.services = fc;
		const src = this.map.getSource<GeoJSONSource>('services');
		if (src) this.track(src.setData(fc));
	}

	setVisibleCategories(ids: number[]) {
		this.visibleCategories = [...ids];
		if (this.map.getLayer('services')) this.map.setFilter('services', this.serviceFilter());
		if (this.popup && !this.visibleCategories.length) this.popup.remove();
	}

	private serviceFilter(): ExpressionSpecification {
		return ['in', ['get', 'category'], ['literal', this.visibleCategories]];
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
		const map = this.map;
		const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
		this.opts.serviceCategories.forEach((c, i) => {
			const id = `svc-${c.id}`;
			if (!map.hasImage(id)) map.addImage(id, iconImageData(i), { pixelRatio: RATIO_PX });
		});
		if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImageData(), { pixelRatio: RATIO_PX });
		map.addSource('districts', { type: 'geojson', data: this.districts ?? empty });
		map.addSource('sectors', { type: 'geojson', data: this.sectors ?? empty });
		map.addSource('hexes', { type: 'geojson', data: empty, promoteId: 'cell' });
		map.addSource('services', { type: 'geojson', data: this.services ?? empty });

		if (this.base.plain) {
			map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#fbfbfa', 'fill-opacity': 0.9 } });
		}
		map.addLayer({
			id: 'hex-fill',
			type: 'fill',
			source: 'hexes',
			paint: { 'fill-color': 'rgba(0,0,0,0)', 'fill-opacity': ['case', drawn, 0.8, 0] }
		});
		// Suppressed cells get a hatch over their grey fill. fill-pattern cannot follow
		// feature-state, so the pattern is constant and its opacity picks the cells.
		map.addLayer({
			id: 'hex-hatch',
			type: 'fill',
			source: 'hexes',
			paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': ['case', isSuppressed, 1, 0] }
		});
		map.addLayer({
			id: 'hex-line',
			type: 'line',
			source: 'hexes',
			paint: {
				'line-color': ['case', selected, '#000000', hovered, '#222222', '#ffffff'],
				'line-width': ['case', selected, 3, hovered, 2, 0.4],
				'line-opacity': ['case', selected, 1, hovered, 1, drawn, 0.7, 0]
			}
		});
		map.addLayer({
			id: 'sector-line',
			type: 'line',
			source: 'sectors',
			layout: { visibility: this.sectorsVisible ? 'visible' : 'none' },
			paint: { 'line-color': '#6b7280', 'line-width': 0.6, 'line-dasharray': [1, 2] }
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
			filter: this.serviceFilter(),
			layout: {
				'icon-image': ['concat', 'svc-', ['to-string', ['get', 'category']]],
				'icon-allow-overlap': true,
				'icon-ignore-placement': true,
				'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.75, 14, 1]
			}
		});
		this.track(this.applyHexes(true));
	}

	// ---- pointer -----------------------------------------------------------------------------

	private bindPointer() {
		const map = this.map;
		map.on('mousemove', (e) => {
			const layers = ['services', 'hex-fill'].filter((l) => map.getLayer(l));
			const hits = layers.length ? map.queryRenderedFeatures(e.point, { layers }) : [];
			const service = hits.find((f) => f.layer.id === 'services');
			const hex = hits.find((f) => f.layer.id === 'hex-fill' && this.isDrawn(String(f.id)));
			map.getCanvas().style.cursor = service || hex ? 'pointer' : '';
			this.setHover(hex ? String(hex.id) : null);
		});
		map.getCanvas().addEventListener('mouseleave', () => this.setHover(null));
		map.on('click', (e) => {
			const layers = ['services', 'hex-fill'].filter((l) => map.getLayer(l));
			const hits = layers.length ? map.queryRenderedFeatures(e.point, { layers }) : [];
			const service = hits.find((f) => f.layer.id === 'services');
			if (service) return this.showServicePopup(service);
			const hex = hits.find((f) => f.layer.id === 'hex-fill' && this.isDrawn(String(f.id)));
			const cell = hex ? String(hex.id) : null;
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
		for (const m of this.labels) m.remove();
		this.base.dispose();
	}
}
