// The coverage report's choropleth: the areas of the report's layer filled by the class of the
// figure the user picked (colours and classes come from stats.ts `choropleth`), suppressed
// ("< k") areas hatched grey, unknown ones plain grey, a click picks an area. Like ZoneMap it owns
// its MapLibre instance and reports data-map-idle and data-area-count (the areas drawn).
import { LngLatBounds, type ExpressionSpecification, type Map as MapLibreMap, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaCollection } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { OrgMap, type BasemapFailure } from './basemap';
import { SUPPRESSED_FILL } from './colour';
import { HATCH_IMAGE, hatchImageData, RATIO_PX } from './icons';

const OUR_SOURCES = new Set(['report-areas']);
/** Grey for an area whose figure cannot be computed (no residents known, …): no hatch. */
export const UNKNOWN_FILL = '#e5e7eb';

/** How one area is drawn: a class colour, or hatched ("< k"), or unknown. */
export type AreaPaint = { colour: string } | { suppressed: true } | { unknown: true };

export interface ReportMapOptions {
	container: HTMLElement;
	bbox: Bbox;
	basemapStyle: string | null;
	attribution: string;
	uiStrings?: Record<string, string>;
	/** An area was clicked on the map (its code). */
	onPick?: (code: string) => void;
	/**
	 * The drawn map as a PNG data URL, after each change once the map is idle: the print layout
	 * shows this image, as a WebGL canvas does not print reliably.
	 */
	onSnapshot?: (png: string) => void;
	onBasemapFailed?: (reason: BasemapFailure) => void;
}

function extend(bounds: LngLatBounds, g: Polygon | MultiPolygon) {
	const rings: Position[][] = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
	for (const ring of rings) for (const [lng, lat] of ring) bounds.extend([lng!, lat!]);
}

export class ReportMap {
	readonly map: MapLibreMap;
	private readonly opts: ReportMapOptions;
	private readonly base: OrgMap;
	private styleReady = false;
	private destroyed = false;
	private areas: AreaCollection | null = null;
	private paints = new Map<string, AreaPaint>();
	private selected: string | null = null;
	private resizeObserver: ResizeObserver;

	constructor(opts: ReportMapOptions) {
		this.opts = opts;
		const el = opts.container;
		el.dataset.mapIdle = 'false';
		el.dataset.areaCount = '0';
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

	/** The layer's outlines (GET /api/areas); the map fits them. */
	setAreas(fc: AreaCollection) {
		this.areas = fc;
		void this.apply(true);
	}

	/** How each area (by code) is drawn; an area left out is not filled. */
	setPaints(paints: Map<string, AreaPaint>) {
		this.paints = paints;
		this.applyStates();
	}

	/** Outlines one area (picked on the map or in the list), or none. */
	select(code: string | null) {
		this.selected = code;
		this.applyStates();
	}

	private async apply(refit: boolean) {
		const src = this.map.getSource<GeoJSONSource>('report-areas');
		if (!src || !this.areas) return; // install() applies it once the style is there
		this.opts.container.dataset.mapIdle = 'false';
		await src.setData(this.areas);
		if (refit && this.areas.features.length) {
			const bounds = new LngLatBounds();
			for (const f of this.areas.features) extend(bounds, f.geometry);
			this.map.fitBounds(bounds, { padding: 16, animate: false });
		}
		this.applyStates();
	}

	private applyStates() {
		if (!this.styleReady || !this.areas || !this.map.getSource('report-areas')) return;
		let drawn = 0;
		for (const f of this.areas.features) {
			const code = f.properties.code;
			const p = this.paints.get(code);
			if (p) drawn++;
			this.map.setFeatureState(
				{ source: 'report-areas', id: code },
				{
					colour: p ? ('colour' in p ? p.colour : 'suppressed' in p ? SUPPRESSED_FILL : UNKNOWN_FILL) : null,
					hatched: !!p && 'suppressed' in p,
					selected: code === this.selected
				}
			);
		}
		this.opts.container.dataset.areaCount = String(drawn);
		this.settle();
	}

	private settle() {
		if (this.destroyed || !this.styleReady) return;
		this.opts.container.dataset.mapIdle = 'false';
		this.map.once('idle', () => {
			if (this.destroyed) return;
			this.snapshot();
			this.opts.container.dataset.mapIdle = 'true';
		});
		this.map.triggerRepaint();
	}

	/** Reads the canvas in a 'render' event, while its drawing buffer still holds the frame. */
	private snapshot() {
		const report = this.opts.onSnapshot;
		if (!report) return;
		this.map.once('render', () => {
			try {
				report(this.map.getCanvas().toDataURL('image/png'));
			} catch (e) {
				console.warn('map snapshot', e);
			}
		});
		this.map.triggerRepaint();
	}

	private install() {
		const map = this.map;
		if (!map.hasImage(HATCH_IMAGE)) map.addImage(HATCH_IMAGE, hatchImageData(), { pixelRatio: RATIO_PX });
		map.addSource('report-areas', {
			type: 'geojson',
			data: { type: 'FeatureCollection', features: [] },
			promoteId: 'code'
		});
		const filled: ExpressionSpecification = ['!=', ['feature-state', 'colour'], null];
		map.addLayer({
			id: 'report-area-fill',
			type: 'fill',
			source: 'report-areas',
			paint: {
				'fill-color': ['coalesce', ['feature-state', 'colour'], 'rgba(0,0,0,0)'],
				'fill-opacity': ['case', filled, 0.82, 0]
			}
		});
		// fill-pattern cannot follow feature-state: the pattern is constant, its opacity picks the areas
		map.addLayer({
			id: 'report-area-hatch',
			type: 'fill',
			source: 'report-areas',
			paint: { 'fill-pattern': HATCH_IMAGE, 'fill-opacity': ['case', ['boolean', ['feature-state', 'hatched'], false], 1, 0] }
		});
		const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
		map.addLayer({
			id: 'report-area-line',
			type: 'line',
			source: 'report-areas',
			paint: {
				'line-color': ['case', selected, '#000000', '#ffffff'],
				'line-width': ['case', selected, 3.5, 1.2]
			}
		});
		map.on('click', 'report-area-fill', (e: MapLayerMouseEvent) => {
			const code = e.features?.[0]?.properties?.code as string | undefined;
			if (code) this.opts.onPick?.(code);
		});
		map.on('mouseenter', 'report-area-fill', () => (map.getCanvas().style.cursor = 'pointer'));
		map.on('mouseleave', 'report-area-fill', () => (map.getCanvas().style.cursor = ''));
		this.styleReady = true;
		void this.apply(true);
	}

	destroy() {
		this.destroyed = true;
		this.resizeObserver.disconnect();
		this.base.dispose();
	}
}
