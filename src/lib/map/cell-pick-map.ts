// The map on which a coordinator picks a zone's cells (/zones, "hand-picked hexagons"), at the
// organisation's planning resolution. A click toggles a cell; press-and-drag paints (starting on
// a free cell) or erases (starting on a picked one) every cell it passes; in "move" mode a drag
// pans instead. From the keyboard, arrows move a focus cell, Space or Enter toggles it, + and -
// zoom. The grid of cells is drawn when the view holds few enough to read.
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent, MapTouchEvent } from 'maplibre-gl';
import { cellToLatLng, getHexagonEdgeLengthAvg, latLngToCell, polygonToCells, UNITS } from 'h3-js';
import type { FeatureCollection, Polygon } from 'geojson';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { addDistrictBackdrop, OrgMap, type BasemapFailure } from './basemap';
import { hexCollection, hexFeature } from './hexgeom';

export interface CellPickMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	res: number;
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
	/** The picked cells changed (a click, a stroke of a drag, a key). */
	onChange: (cells: ReadonlySet<string>) => void;
	/** The keyboard's focus cell moved or was toggled: for a spoken status line. */
	onFocusCell?: (cell: string, picked: boolean) => void;
	onBasemapFailed?: (reason: BasemapFailure) => void;
}

export type PickMode = 'pick' | 'move';

const OUR_SOURCES = new Set(['pick-grid', 'pick-cells', 'pick-focus', 'districts']);
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** Above this many cells in view the grid is left out (zoom in to see it). */
const GRID_LIMIT = 6000;
const DEG_PER_KM_LAT = 1 / 111.32;

export class CellPickMap {
	readonly map: MapLibreMap;
	private readonly opts: CellPickMapOptions;
	private readonly base: OrgMap;
	private readonly picked = new Set<string>();
	private districts: AreaCollection | null = null;
	private mode: PickMode = 'pick';
	private stroke: { erase: boolean; last: string } | null = null;
	/** When the last touch began: a tap's compatibility mouse events that follow must not toggle again. */
	private lastTouch = 0;
	private focus: string | null = null;
	private resizeObserver: ResizeObserver;
	private readonly stepKm: number;

	constructor(opts: CellPickMapOptions) {
		this.opts = opts;
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.pickedCount = '0';
		// one finger paints (pick mode, see the component's CSS for touch-action); two zoom
		el.dataset.mode = 'pick';
		this.stepKm = getHexagonEdgeLengthAvg(opts.res, UNITS.km) * Math.sqrt(3);
		this.base = new OrgMap({
			container: el,
			bbox: opts.bbox,
			basemapStyle: opts.basemapStyle,
			attribution: opts.attribution,
			uiStrings: opts.uiStrings,
			ownSources: OUR_SOURCES,
			onFallBack: opts.onBasemapFailed,
			onStyleLoad: () => this.install(),
			padding: 8,
			margin: [0.05, 0.05]
		});
		this.map = this.base.map;
		// the arrows belong to the focus cell here; the map follows it
		this.map.keyboard.disable();
		this.map.dragPan.disable();
		// two quick clicks take a cell and give it back; they must not zoom
		this.map.doubleClickZoom.disable();
		this.map.on('mousedown', (e) => this.strokeStart(e));
		this.map.on('mousemove', (e) => this.strokeMove(e));
		this.map.on('touchstart', (e) => this.strokeStart(e));
		this.map.on('touchmove', (e) => this.strokeMove(e));
		this.map.on('moveend', () => this.drawGrid());
		window.addEventListener('mouseup', this.strokeEnd);
		this.map.on('touchend', this.strokeEnd);
		this.map.on('touchcancel', this.strokeEnd);
		this.map.getCanvas().addEventListener('keydown', this.onKey);
		this.map.getCanvas().addEventListener('focus', this.onFocus);
		this.resizeObserver = new ResizeObserver(() => this.map.resize());
		this.resizeObserver.observe(el);
	}

	/** "pick": a drag paints or erases; "move": a drag pans the map. */
	setMode(mode: PickMode) {
		this.mode = mode;
		if (mode === 'move') {
			this.map.dragPan.enable();
			this.map.doubleClickZoom.enable();
		} else {
			this.map.dragPan.disable();
			this.map.doubleClickZoom.disable();
		}
		this.opts.container.dataset.mode = mode;
	}

	/** Replaces the picked cells (after a save, "clear all"); calls no onChange. */
	setCells(cells: Iterable<string>) {
		this.picked.clear();
		for (const c of cells) this.picked.add(c);
		this.redraw();
	}

	setDistricts(fc: AreaCollection) {
		this.districts = fc;
		this.map.getSource<GeoJSONSource>('districts')?.setData(fc);
	}

	setCanvasLabel(label: string) {
		this.map.getCanvas().setAttribute('aria-label', label);
	}

	private cellAt(e: MapMouseEvent | MapTouchEvent): string {
		return latLngToCell(e.lngLat.lat, e.lngLat.lng, this.opts.res);
	}

	private strokeStart(e: MapMouseEvent | MapTouchEvent) {
		if (this.mode !== 'pick') return;
		const touch = 'points' in e;
		if (touch) {
			this.lastTouch = performance.now();
			if (e.points.length !== 1) {
				this.stroke = null; // a second finger: a pinch, not a stroke
				return;
			}
		} else if (performance.now() - this.lastTouch < 1000 || e.originalEvent.button !== 0) return;
		e.preventDefault();
		const cell = this.cellAt(e);
		this.stroke = { erase: this.picked.has(cell), last: cell };
		this.apply(cell);
	}

	private strokeMove(e: MapMouseEvent | MapTouchEvent) {
		if (!this.stroke) return;
		if ('points' in e && e.points.length !== 1) return;
		const cell = this.cellAt(e);
		if (cell === this.stroke.last) return;
		this.stroke.last = cell;
		this.apply(cell);
	}

	private strokeEnd = () => {
		this.stroke = null;
	};

	private apply(cell: string) {
		const erase = this.stroke?.erase ?? this.picked.has(cell);
		if (erase === !this.picked.has(cell)) return;
		if (erase) this.picked.delete(cell);
		else this.picked.add(cell);
		this.redraw();
		this.opts.onChange(this.picked);
	}

	private onFocus = () => {
		if (this.focus) return;
		const c = this.map.getCenter();
		this.moveFocus(latLngToCell(c.lat, c.lng, this.opts.res));
	};

	private onKey = (ev: KeyboardEvent) => {
		const steps: Record<string, [number, number]> = { ArrowUp: [0, 1], ArrowDown: [0, -1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
		const step = steps[ev.key];
		if (step) {
			ev.preventDefault();
			const [lat, lng] = cellToLatLng(this.focus ?? latLngToCell(this.map.getCenter().lat, this.map.getCenter().lng, this.opts.res));
			const dLat = step[1] * this.stepKm * DEG_PER_KM_LAT;
			const dLng = (step[0] * this.stepKm * DEG_PER_KM_LAT) / Math.cos((lat * Math.PI) / 180);
			this.moveFocus(latLngToCell(lat + dLat, lng + dLng, this.opts.res));
		} else if ((ev.key === ' ' || ev.key === 'Enter') && this.focus) {
			ev.preventDefault();
			this.apply(this.focus);
			this.opts.onFocusCell?.(this.focus, this.picked.has(this.focus));
		} else if (ev.key === '+' || ev.key === '=') {
			ev.preventDefault();
			this.map.zoomIn();
		} else if (ev.key === '-') {
			ev.preventDefault();
			this.map.zoomOut();
		}
	};

	private moveFocus(cell: string) {
		this.focus = cell;
		this.opts.container.dataset.focusCell = cell;
		this.map.getSource<GeoJSONSource>('pick-focus')?.setData(hexCollection([cell], this.opts.res));
		const [lat, lng] = cellToLatLng(cell);
		if (!this.map.getBounds().contains([lng, lat])) this.map.easeTo({ center: [lng, lat], duration: 0 });
		this.opts.onFocusCell?.(cell, this.picked.has(cell));
	}

	private redraw() {
		this.opts.container.dataset.pickedCount = String(this.picked.size);
		this.opts.container.dataset.pickedCells = [...this.picked].sort().join(' ');
		this.map.getSource<GeoJSONSource>('pick-cells')?.setData(hexCollection(this.picked, this.opts.res));
		this.settle();
	}

	private drawGrid() {
		const src = this.map.getSource<GeoJSONSource>('pick-grid');
		if (!src) return;
		const b = this.map.getBounds();
		const [w, s, e, n] = this.opts.bbox;
		const west = Math.max(w, b.getWest());
		const south = Math.max(s, b.getSouth());
		const east = Math.min(e, b.getEast());
		const north = Math.min(n, b.getNorth());
		let cells: string[] = [];
		if (west < east && south < north) {
			const kmW = (east - west) * Math.cos((((south + north) / 2) * Math.PI) / 180) * 111.32;
			const kmH = (north - south) * 111.32;
			const estimate = (kmW * kmH) / (this.stepKm * this.stepKm * 0.866);
			if (estimate <= GRID_LIMIT) {
				const ring: [number, number][] = [
					[west, south],
					[east, south],
					[east, north],
					[west, north],
					[west, south]
				];
				const poly: Polygon = { type: 'Polygon', coordinates: [ring] };
				cells = polygonToCells(poly.coordinates, this.opts.res, true);
			}
		}
		this.opts.container.dataset.gridCount = String(cells.length);
		src.setData({ type: 'FeatureCollection', features: cells.map((c) => hexFeature(c, this.opts.res)) });
		this.settle();
	}

	private settle() {
		if (!this.map.getSource('pick-cells')) return;
		this.opts.container.dataset.mapIdle = 'false';
		this.map.once('idle', () => (this.opts.container.dataset.mapIdle = 'true'));
		this.map.triggerRepaint();
	}

	private install() {
		const map = this.map;
		addDistrictBackdrop(map, this.districts, this.base.plain, 'strong');
		map.addSource('pick-grid', { type: 'geojson', data: EMPTY });
		map.addSource('pick-cells', { type: 'geojson', data: hexCollection(this.picked, this.opts.res) });
		map.addSource('pick-focus', { type: 'geojson', data: this.focus ? hexCollection([this.focus], this.opts.res) : EMPTY });
		map.addLayer({
			id: 'pick-grid-line',
			type: 'line',
			source: 'pick-grid',
			paint: { 'line-color': '#52525b', 'line-width': 0.6, 'line-opacity': 0.45 }
		});
		map.addLayer({ id: 'pick-cells-fill', type: 'fill', source: 'pick-cells', paint: { 'fill-color': '#0b5cad', 'fill-opacity': 0.45 } });
		map.addLayer({ id: 'pick-cells-line', type: 'line', source: 'pick-cells', paint: { 'line-color': '#0b3d73', 'line-width': 1.5 } });
		// the keyboard's focus: a white halo under a thick black line reads on any fill
		map.addLayer({ id: 'pick-focus-halo', type: 'line', source: 'pick-focus', paint: { 'line-color': '#ffffff', 'line-width': 6 } });
		map.addLayer({ id: 'pick-focus-line', type: 'line', source: 'pick-focus', paint: { 'line-color': '#000000', 'line-width': 3 } });
		this.drawGrid();
		this.settle();
	}

	destroy() {
		window.removeEventListener('mouseup', this.strokeEnd);
		this.map.getCanvas().removeEventListener('keydown', this.onKey);
		this.map.getCanvas().removeEventListener('focus', this.onFocus);
		this.resizeObserver.disconnect();
		this.base.dispose();
	}
}
