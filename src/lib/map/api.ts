// Browser-side client for the read API the map needs. Types mirror the server contract.
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Bbox } from '$lib/domain/hex-query';
import type { Vocabularies, VocabularyEntry } from '$lib/domain/vocabulary';

export type { Bbox, Vocabularies, VocabularyEntry };

export interface Meta {
	org: { name: string; bbox: Bbox; isDemo: boolean; storageRes: number; maxRes: number };
	vocabularies: Vocabularies;
	teams: { id: number; name: string }[];
	basemapStyle: string | null;
	attribution: string;
	today: string;
}

export interface HexColumns {
	res: number;
	from: string;
	to: string;
	/** Packed cell ids: expand with unpackCell(packed, res). */
	cells: string[];
	contacts: number[];
	persons: number[];
	referrals: number[];
	daysSinceLast: number[];
}

export interface HexFilters {
	from: string;
	to: string;
	/** null = all (parameter omitted). */
	types: number[] | null;
	groups: number[] | null;
	teams: number[] | null;
}

export interface ServiceProps {
	id: number;
	category: number;
	categoryCode: string;
	name: string;
	capacity: number | null;
	openingHours: string | null;
	address: string | null;
	isDemo: boolean;
}

export interface AreaProps {
	code: string;
	name: string;
	population: number | null;
}

export type ServiceCollection = FeatureCollection<Point, ServiceProps>;
export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProps>;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly param?: string
	) {
		super(message);
	}
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
	const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
	if (!res.ok) {
		let message = res.statusText;
		let param: string | undefined;
		try {
			const body = (await res.json()) as { error?: { param?: string; message?: string } };
			message = body.error?.message ?? message;
			param = body.error?.param;
		} catch {
			/* not JSON */
		}
		throw new ApiError(res.status, message, param);
	}
	return (await res.json()) as T;
}

export const fetchMeta = (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal);
export const fetchServices = (signal?: AbortSignal) => getJson<ServiceCollection>('/api/services', signal);
export const fetchAreas = (layer: 'district' | 'sector', signal?: AbortSignal) =>
	getJson<AreaCollection>(`/api/areas?layer=${layer}`, signal);

export function hexUrl(res: number, filters: HexFilters, bbox: Bbox | null): string {
	const p = new URLSearchParams({ res: String(res), from: filters.from, to: filters.to });
	if (filters.types) p.set('types', filters.types.join(','));
	if (filters.groups) p.set('groups', filters.groups.join(','));
	if (filters.teams) p.set('teams', filters.teams.join(','));
	if (bbox) p.set('bbox', bbox.map((v) => v.toFixed(5)).join(','));
	return `/api/hexes?${p}`;
}

export const fetchHexes = (res: number, filters: HexFilters, bbox: Bbox | null, signal?: AbortSignal) =>
	getJson<HexColumns>(hexUrl(res, filters, bbox), signal);
