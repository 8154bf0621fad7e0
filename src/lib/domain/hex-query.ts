// Parsing and validating the map aggregation query (GET /api/hexes). Pure: the route hands in the
// URL's parameters and today's date, and gets back either a query or an error naming the parameter.
import { MAX_MAP_RES, MIN_MAP_RES } from './cells';
import { addDays, daysBetween, parseDay } from './calendar';

export type Bbox = [west: number, south: number, east: number, north: number];

export interface HexQuery {
	res: number;
	/** Inclusive first and last day, YYYY-MM-DD, in Europe/Brussels. */
	from: string;
	to: string;
	types: number[] | null;
	groups: number[] | null;
	teams: number[] | null;
	bbox: Bbox | null;
}

export interface ParamError {
	param: string;
	message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParamError };

export const MAX_PERIOD_DAYS = 366 * 5;
export const DEFAULT_PERIOD_DAYS = 365;

const KNOWN = new Set(['res', 'from', 'to', 'types', 'groups', 'teams', 'bbox']);

export function parseHexQuery(params: URLSearchParams, today: string): Parsed<HexQuery> {
	for (const key of params.keys()) {
		if (!KNOWN.has(key)) return fail(key, `unknown parameter "${key}"`);
	}
	const res = parseRes(params.get('res'));
	if (typeof res === 'string') return fail('res', res);

	const to = params.has('to') ? parseDay(params.get('to')!) : today;
	if (!to) return fail('to', 'expected a date as YYYY-MM-DD');
	const from = params.has('from') ? parseDay(params.get('from')!) : addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
	if (!from) return fail('from', 'expected a date as YYYY-MM-DD');
	if (from > to) return fail('from', `"from" (${from}) is after "to" (${to})`);
	if (daysBetween(from, to) >= MAX_PERIOD_DAYS) return fail('from', `period longer than ${MAX_PERIOD_DAYS} days`);

	const lists: Record<'types' | 'groups' | 'teams', number[] | null> = { types: null, groups: null, teams: null };
	for (const name of ['types', 'groups', 'teams'] as const) {
		const raw = params.get(name);
		if (raw === null) continue;
		const ids = parseIdList(raw);
		if (!ids) return fail(name, 'expected a comma-separated list of whole numbers from 1 to 32767');
		lists[name] = ids;
	}

	let bbox: Bbox | null = null;
	if (params.has('bbox')) {
		const b = parseBbox(params.get('bbox')!);
		if (typeof b === 'string') return fail('bbox', b);
		bbox = b;
	}
	return { ok: true, value: { res, from, to, ...lists, bbox } };
}

function fail(param: string, message: string): Parsed<never> {
	return { ok: false, error: { param, message } };
}

export function parseRes(raw: string | null): number | string {
	if (raw === null) return 'required: a resolution from 7 to 10';
	if (!/^\d{1,2}$/.test(raw)) return 'expected a whole number from 7 to 10';
	const res = Number(raw);
	if (res < MIN_MAP_RES || res > MAX_MAP_RES) return `resolution ${res} is outside 7 to 10`;
	return res;
}

export function parseIdList(raw: string): number[] | null {
	if (raw === '') return [];
	const parts = raw.split(',');
	if (parts.length > 200 || !parts.every((p) => /^\d{1,5}$/.test(p))) return null;
	const ids = parts.map(Number);
	if (ids.some((n) => n < 1 || n > 32767)) return null;
	return [...new Set(ids)].sort((a, b) => a - b);
}

export function parseBbox(raw: string): Bbox | string {
	const parts = raw.split(',');
	if (parts.length !== 4 || !parts.every((p) => /^-?\d+(\.\d+)?$/.test(p.trim()))) {
		return 'expected west,south,east,north in degrees';
	}
	const [w, s, e, n] = parts.map(Number) as Bbox;
	if (w < -180 || e > 180 || s < -90 || n > 90) return 'coordinates out of range';
	if (w >= e || s >= n) return 'west must be less than east and south less than north';
	return [w, s, e, n];
}
