// Small planar helpers for area polygons (lng/lat treated as x/y: fine at city scale).
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { cellCentre } from '$lib/domain/cells';
import { compassPoint, type Place } from '$lib/domain/compass';
import type { Bbox } from '$lib/domain/hex-query';

type Ring = Position[];

function ringArea(ring: Ring): number {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		a += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!;
	}
	return a / 2;
}

function ringCentroid(ring: Ring): [number, number] {
	let x = 0;
	let y = 0;
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [x0, y0] = ring[j] as [number, number];
		const [x1, y1] = ring[i] as [number, number];
		const f = x0 * y1 - x1 * y0;
		x += (x0 + x1) * f;
		y += (y0 + y1) * f;
		a += f;
	}
	if (a === 0) return ring[0] as [number, number];
	return [x / (3 * a), y / (3 * a)];
}

function polygons(geom: Polygon | MultiPolygon): Ring[][] {
	return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

/**
 * A point inside the area for its label: the centroid of its largest part when that lies inside,
 * else the middle of the widest inside stretch along the centroid's latitude.
 */
export function labelPoint(geom: Polygon | MultiPolygon): [number, number] {
	const parts = polygons(geom);
	let best = parts[0]!;
	for (const p of parts) if (Math.abs(ringArea(p[0]!)) > Math.abs(ringArea(best[0]!))) best = p;
	const c = ringCentroid(best[0]!);
	if (booleanPointInPolygon(c, { type: 'Polygon', coordinates: best })) return c;
	const xs: number[] = [];
	for (const ring of best) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [xi, yi] = ring[i] as [number, number];
			const [xj, yj] = ring[j] as [number, number];
			if (yi > c[1] !== yj > c[1]) xs.push(((xj - xi) * (c[1] - yi)) / (yj - yi) + xi);
		}
	}
	xs.sort((a, b) => a - b);
	let mid = c;
	let width = -1;
	for (let i = 0; i + 1 < xs.length; i += 2) {
		if (xs[i + 1]! - xs[i]! > width) {
			width = xs[i + 1]! - xs[i]!;
			mid = [(xs[i]! + xs[i + 1]!) / 2, c[1]];
		}
	}
	return mid;
}

type Areas = { features: { geometry: Polygon | MultiPolygon | null; properties: { name: string } }[] } | null;

/** The area whose outline holds the cell's centre, or undefined. */
function areaAt(cell: string, areas: Areas) {
	const { lat, lng } = cellCentre(cell);
	return areas?.features.find((a) => a.geometry && booleanPointInPolygon([lng, lat], a.geometry));
}

/** The name of the area holding the cell's centre (e.g. its district), or null when none does. */
export function areaNameAt(cell: string, areas: Areas): string | null {
	return areaAt(cell, areas)?.properties.name ?? null;
}

/** The area a cell lies in (by its centre) and where within it: the compass point from the area's centre. */
export function placeAt(cell: string, areas: Areas): Place {
	const f = areaAt(cell, areas);
	if (!f?.geometry) return { name: null, compass: null };
	const { lat, lng } = cellCentre(cell);
	// the centre: the mean of the outer rings' vertices (enough to say "north" or "south-west")
	const rings = f.geometry.type === 'Polygon' ? [f.geometry.coordinates[0]!] : f.geometry.coordinates.map((poly) => poly[0]!);
	let x = 0;
	let y = 0;
	let n = 0;
	for (const ring of rings)
		for (const [px, py] of ring) {
			x += px!;
			y += py!;
			n++;
		}
	return { name: f.properties.name, compass: n ? compassPoint([x / n, y / n], [lng, lat]) : null };
}

/**
 * The box a view asks data for: the visible box padded by 10 % of its size on each side, so small
 * pans do not show an empty edge before the refetch lands, but at most 0.02° beyond the
 * organisation's area.
 */
export function requestBbox([w, s, e, n]: Bbox, [ow, os, oe, on]: Bbox): Bbox {
	const dx = (e - w) * 0.1;
	const dy = (n - s) * 0.1;
	const m = 0.02; // keep a margin around the organisation's area
	return [Math.max(w - dx, ow - m), Math.max(s - dy, os - m), Math.min(e + dx, oe + m), Math.min(n + dy, on + m)];
}

export interface MapFit {
	/** Pixels kept free around the organisation's area when the map fits it. */
	padding: number;
	minZoom: number;
	maxZoom: number;
}

/** How every map of the app fits its area by default (see OrgMap in basemap.ts). */
export const ORG_FIT: MapFit = { padding: 16, minZoom: 9, maxZoom: 18 };

/**
 * The zoom at which MapLibre's fitBounds shows `bbox` in a `width` × `height` map with `padding`
 * pixels on each side (`fit`; 512-pixel world tiles, Web Mercator), within its zoom range. The
 * atlas asks for its first area outlines with it, before MapLibre has loaded.
 */
export function fitZoom([w, s, e, n]: Bbox, width: number, height: number, fit: MapFit = ORG_FIT): number {
	const { padding, minZoom, maxZoom } = fit;
	const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI);
	const dx = ((e - w) / 360) * 512;
	const dy = (y(n) - y(s)) * 512;
	const zoom = Math.log2(Math.min((width - 2 * padding) / dx, (height - 2 * padding) / dy));
	return Number.isFinite(zoom) ? Math.min(maxZoom, Math.max(minZoom, zoom)) : minZoom;
}
