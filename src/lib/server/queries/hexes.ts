// Map aggregation: contact moments grouped into parent cells in SQL (h3_parent on the stored
// bigint), returned as columns. Whole months come from contact_rollup_month and the edge days
// from contact_moment, so the work follows cells rather than contacts; rows never reach JavaScript.
import { POLYGON_TO_CELLS_FLAGS, cellToLatLng, getHexagonEdgeLengthAvg, polygonToCellsExperimental } from 'h3-js';
import { cellToBigInt, packCell } from '../../domain/cells';
import type { Bbox, HexQuery } from '../../domain/hex-query';
import { splitPeriod, wholePeriod, windowSegments } from '../../domain/period-split';
import { CELL_KEY_MODULUS } from '../../domain/privacy';
import type { Sql } from '../db';
import type postgres from 'postgres';

type Fragment = postgres.PendingQuery<postgres.Row[]>;

export interface HexColumns {
	res: number;
	from: string;
	to: string;
	/** Packed cell ids (see packCell); the browser expands them with unpackCell(id, res). */
	cells: string[];
	contacts: number[];
	persons: number[];
	referrals: number[];
	/** Days from the last matching contact to the period's last day. */
	daysSinceLast: number[];
	/** With `targets`: the referral target most referred to in the cell (a vocabulary id), or null. */
	topTarget?: (number | null)[];
	/** With `targets`: the referrals to that target (0 when none had a known target). */
	topTargetReferrals?: number[];
}

/** Thrown when a bbox would need too many cells at the asked resolution. */
export class BboxTooLarge extends Error {}

const MAX_COVER_CELLS = 4000;

export interface AggregateOptions {
	/** Also find each cell's largest referral target (the hex panel's "waarvan 7 naar CAW"). */
	targets?: boolean;
}

export async function hexAggregate(sql: Sql, orgId: number, q: HexQuery, opts: AggregateOptions = {}): Promise<HexColumns> {
	const cover = q.bbox ? coarseCover(q.bbox, q.res) : null;
	const targetRows = opts.targets ? topTargetRows(sql, orgId, q, cover) : null;
	const rows = await sql`
		with agg as (
			select h3_parent(cell, ${q.res}) as c,
				sum(contacts)::int as contacts,
				sum(persons)::int as persons,
				sum(referrals)::int as referrals,
				max(last_at) as last_at
			from (${periodParts(sql, orgId, q, cover, false)}) as part (cell, contacts, persons, referrals, last_at)
			group by 1
		)
		select to_hex(c) as cell, contacts, persons, referrals,
			(${q.to}::date - (last_at at time zone 'Europe/Brussels')::date) as days
		from agg order by c`;

	const out: HexColumns = {
		res: q.res,
		from: q.from,
		to: q.to,
		cells: [],
		contacts: [],
		persons: [],
		referrals: [],
		daysSinceLast: []
	};
	const top = targetRows ? new Map((await targetRows).map((r) => [r.cell as string, r])) : null;
	if (top) {
		out.topTarget = [];
		out.topTargetReferrals = [];
	}
	const keep = q.bbox ? nearBbox(q.bbox, q.res) : () => true;
	for (const r of rows) {
		const cell = r.cell as string;
		if (!keep(cell)) continue;
		pushCell(out, packCell(cell), r.contacts, r.persons, r.referrals, r.days);
		if (top) {
			const t = top.get(cell);
			out.topTarget!.push(t ? (t.target as number) : null);
			out.topTargetReferrals!.push(t ? (t.n as number) : 0);
		}
	}
	return out;
}

/**
 * hexAggregate (no bbox) of the period and of a second window [windowFrom, q.to] that ends with it
 * (recency: the last 90 days), in one query: the days of both are read once, split by
 * windowSegments, and each cell's sums are taken over each window with FILTER. The answer is
 * what two hexAggregate calls would give (`targets` for the period only); it saves reading the
 * common months twice and a second grouping, which on PGlite runs on the request thread.
 */
export async function hexAggregateWithWindow(
	sql: Sql,
	orgId: number,
	q: Omit<HexQuery, 'bbox'>,
	windowFrom: string,
	opts: AggregateOptions = {}
): Promise<{ period: HexColumns; window: HexColumns }> {
	const whole: HexQuery = { ...q, bbox: null };
	const targetRows = opts.targets ? topTargetRows(sql, orgId, whole, null) : null;
	const flag = (b: boolean) => (b ? sql`true` : sql`false`);
	const parts = windowSegments(q.from, q.to, windowFrom)
		.map(
			(seg) => sql`
			select cell, contacts, persons, referrals, last_at, ${flag(seg.period)}, ${flag(seg.recent)}
			from (${periodParts(sql, orgId, { ...whole, from: seg.from, to: seg.to }, null, false)})
				as seg (cell, contacts, persons, referrals, last_at)`
		)
		.reduce((acc, part) => sql`${acc} union all ${part}`);
	const days = (at: Fragment) => sql`(${q.to}::date - (${at} at time zone 'Europe/Brussels')::date)`;
	const rows = await sql`
		with agg as (
			select h3_parent(cell, ${q.res}) as c,
				sum(contacts) filter (where p)::int as contacts,
				sum(persons) filter (where p)::int as persons,
				sum(referrals) filter (where p)::int as referrals,
				max(last_at) filter (where p) as last_at,
				sum(contacts) filter (where w)::int as w_contacts,
				sum(persons) filter (where w)::int as w_persons,
				sum(referrals) filter (where w)::int as w_referrals,
				max(last_at) filter (where w) as w_last_at
			from (${parts}) as part (cell, contacts, persons, referrals, last_at, p, w)
			group by 1
		)
		select to_hex(c) as cell, contacts, persons, referrals, ${days(sql`last_at`)} as days,
			w_contacts, w_persons, w_referrals, ${days(sql`w_last_at`)} as w_days
		from agg order by c`;
	const columns = (): HexColumns => ({ res: q.res, from: q.from, to: q.to, cells: [], contacts: [], persons: [], referrals: [], daysSinceLast: [] });
	const period = columns();
	const window = { ...columns(), from: windowFrom };
	const top = targetRows ? new Map((await targetRows).map((r) => [r.cell as string, r])) : null;
	if (top) {
		period.topTarget = [];
		period.topTargetReferrals = [];
	}
	for (const r of rows) {
		const packed = packCell(r.cell as string);
		// a window's sums are null where none of its rows fell in the cell
		if (r.contacts !== null) {
			pushCell(period, packed, r.contacts, r.persons, r.referrals, r.days);
			if (top) {
				const t = top.get(r.cell as string);
				period.topTarget!.push(t ? (t.target as number) : null);
				period.topTargetReferrals!.push(t ? (t.n as number) : 0);
			}
		}
		if (r.w_contacts !== null) pushCell(window, packed, r.w_contacts, r.w_persons, r.w_referrals, r.w_days);
	}
	return { period, window };
}

/** Appends one cell's figures (as read from a row) to the columns. */
function pushCell(to: HexColumns, packed: string, contacts: unknown, persons: unknown, referrals: unknown, days: unknown): void {
	to.cells.push(packed);
	to.contacts.push(contacts as number);
	to.persons.push(persons as number);
	to.referrals.push(referrals as number);
	to.daysSinceLast.push(days as number);
}

/** HexColumns with the cell keys of the records behind each cell (server side only). */
export interface KeyedHexColumns extends HexColumns {
	/** Sum of the contacts' record keys, mod CELL_KEY_MODULUS. */
	contactKeys: number[];
	/** Sum of the referral contacts' record keys, mod CELL_KEY_MODULUS. */
	referralKeys: number[];
}

/**
 * The map aggregation with the records' key sums (for the cell-key rule), per cell, or per cell
 * and contact type (`byType`: one KeyedHexColumns per type present, in a Map by type id).
 */
export async function hexAggregateKeyed(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	byType: boolean
): Promise<{ all: KeyedHexColumns; types: Map<number, KeyedHexColumns> }> {
	const cover = q.bbox ? coarseCover(q.bbox, q.res) : null;
	const rows = await keyedCellRows(sql, q, periodParts(sql, orgId, q, cover, true, byType), byType ? sql`id` : sql`0`);
	const all = emptyKeyed(q);
	const types = new Map<number, KeyedHexColumns>();
	collectKeyed(rows, q, all, byType ? types : null, q.bbox ? nearBbox(q.bbox, q.res) : null);
	return { all, types };
}

/**
 * Keyed rows per parent cell at `q.res` and id, ordered by cell and id: (cell, the parent as
 * decimal text; id; contacts, persons, referrals; ck, rk, the key sums mod M; days since the last),
 * from `part`'s rows of (cell, id, contacts, persons, referrals, last_at, key_sum,
 * referral_key_sum). `id` tells a cell's rows apart (a contact type, a target group), or is `0`
 * for one row a cell. The one grouping of every keyed question (hexAggregateKeyed,
 * splitAggregateKeyed, groupAggregateKeyed): on the bigint parent, the text and the local day made
 * once per output row.
 */
export function keyedCellRows(sql: Sql, q: Pick<HexQuery, 'res' | 'to'>, part: Fragment, id: Fragment = sql`id`) {
	return sql`
		with agg as (
			select h3_parent(cell, ${q.res}) as c, ${id} as id,
				sum(contacts)::int as contacts, sum(persons)::int as persons, sum(referrals)::int as referrals,
				sum(key_sum) as ck, sum(referral_key_sum) as rk, max(last_at) as last_at
			from (${part}) as part (cell, id, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
			group by 1, 2
		)
		select c::text as cell, id::int as id, contacts, persons, referrals,
			(ck % ${CELL_KEY_MODULUS})::int as ck, (rk % ${CELL_KEY_MODULUS})::int as rk,
			(${q.to}::date - (last_at at time zone 'Europe/Brussels')::date) as days
		from agg order by c, id`;
}

/**
 * keyedCellRows' rows into columns: per id into `byId` (when given), and each cell's rows merged
 * into `all` (when given). Cells `keep` refuses are left out. Each cell is packed once: the cell
 * as decimal text, since to_hex on every row costs PGlite more than this.
 */
export function collectKeyed(
	rows: readonly postgres.Row[],
	q: Pick<HexQuery, 'res' | 'from' | 'to'>,
	all: KeyedHexColumns | null,
	byId: Map<number, KeyedHexColumns> | null,
	keep: ((cell: string) => boolean) | null = null
): void {
	let lastCell = '';
	let packed: string | null = '';
	for (const r of rows) {
		const cell = r.cell as string;
		const same = cell === lastCell;
		if (!same) {
			const hex = BigInt(cell).toString(16);
			packed = !keep || keep(hex) ? packCell(hex) : null;
			lastCell = cell;
		}
		if (packed === null) continue;
		const contacts = r.contacts as number;
		const persons = r.persons as number;
		const referrals = r.referrals as number;
		const days = r.days as number;
		const ck = r.ck as number;
		const rk = r.rk as number;
		if (all) {
			const i = all.cells.length - 1;
			if (same) {
				all.contacts[i]! += contacts;
				all.persons[i]! += persons;
				all.referrals[i]! += referrals;
				all.daysSinceLast[i] = Math.min(all.daysSinceLast[i]!, days);
				all.contactKeys[i] = (all.contactKeys[i]! + ck) % CELL_KEY_MODULUS;
				all.referralKeys[i] = (all.referralKeys[i]! + rk) % CELL_KEY_MODULUS;
			} else pushRow(all, packed, contacts, persons, referrals, days, ck, rk);
		}
		if (byId) {
			const id = r.id as number;
			let to = byId.get(id);
			if (!to) byId.set(id, (to = emptyKeyed(q)));
			pushRow(to, packed, contacts, persons, referrals, days, ck, rk);
		}
	}
}

/**
 * The period's contacts as rows of (cell, contacts, persons, referrals, last_at), and with `keyed`
 * (cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum). At
 * resolution 9 or coarser, without a team filter and with at most one target group, all of it
 * comes from contact_rollup_coarse (migration 0018): whole months and edge days alike. Otherwise
 * whole months come from contact_rollup_month and the edge days from contact_moment; a target-group
 * or team filter there reads contact_moment for the whole period.
 */
function periodParts(sql: Sql, orgId: number, q: HexQuery, cover: { res: number; cells: string[] } | null, keyed: boolean, byType = false) {
	if (coarseServes(q)) return coarseParts(sql, orgId, q, cover, keyed, byType);
	// The rollup knows cells and contact types only; target-group and team filters read contacts.
	const rollupServes = !q.groups && !q.teams;
	const { months, days } = rollupServes ? splitPeriod(q.from, q.to) : wholePeriod(q.from, q.to);
	const common = sql`
		${q.types ? sql`and contact_type = any(${q.types}::smallint[])` : sql``}
		${cover ? sql`and h3_parent(cell, ${cover.res}) = any(${cover.cells}::bigint[])` : sql``}`;
	const filters = sql`${common}
		${q.groups ? sql`and target_groups && ${q.groups}::smallint[]` : sql``}
		${q.teams ? sql`and team_id = any(${q.teams}::smallint[])` : sql``}`;
	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	const monthPart = months
		? keyed
			? sql`
			select cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum from contact_rollup_month
			where org_id = ${orgId} and month >= ${months[0]}::date and month < ${months[1]}::date ${common}`
			: sql`
			select cell, contacts, persons, referrals, last_at from contact_rollup_month
			where org_id = ${orgId} and month >= ${months[0]}::date and month < ${months[1]}::date ${common}`
		: null;
	const dayParts = days.map(([from, to]) =>
		keyed
			? sql`
			select cell, contact_type, 1, persons::int, referral::int, occurred_at,
				record_key, case when referral then record_key else 0 end
			from contact_moment
			where org_id = ${orgId} and occurred_at >= ${brussels(from)} and occurred_at < ${brussels(to)} ${filters}`
			: sql`
			select cell, 1, persons::int, referral::int, occurred_at from contact_moment
			where org_id = ${orgId} and occurred_at >= ${brussels(from)} and occurred_at < ${brussels(to)} ${filters}`
	);
	const parts = [monthPart, ...dayParts].filter((p) => p !== null);
	return parts.reduce((acc, part) => sql`${acc} union all ${part}`);
}

/** Coarsest cell resolution of contact_rollup_coarse: questions at this or a coarser one read it. */
const COARSE_RES = 9;

/**
 * Whether contact_rollup_coarse answers the question exactly: its cells are at resolution 9, it
 * has no team, its target-group rows count a contact once per group (so a filter by two groups
 * would count a contact in both twice), and they are not split by contact type. Ids are from 1
 * (0 there stands for "all").
 */
export function coarseServes(q: HexQuery): boolean {
	if (q.res > COARSE_RES || q.teams) return false;
	if (q.groups) return q.groups.length === 1 && q.groups[0]! >= 1 && !q.types;
	return !q.types || q.types.every((t) => t >= 1);
}

/**
 * periodParts from contact_rollup_coarse: month rows for whole months, day rows for the rest.
 * Without a type filter it reads the all-types rows (contact_type 0), one a cell, except for
 * `byType`, which needs the types apart (the keyed callers merge them per cell).
 */
function coarseParts(sql: Sql, orgId: number, q: HexQuery, cover: { res: number; cells: string[] } | null, keyed: boolean, byType: boolean) {
	const group = q.groups ? q.groups[0]! : 0;
	const columns = keyed
		? sql`cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum`
		: sql`cell, contacts, persons, referrals, last_at`;
	return coarseRows(sql, orgId, q, cover, columns, sql`target_group = ${group}`, byType);
}

/**
 * The question (no type or group filter of its own) split by target group: rows of (cell,
 * target_group, contacts, persons, referrals, last_at, key_sum, referral_key_sum) of every group
 * from contact_rollup_coarse, for the questions coarseServes accepts.
 */
export function coarseGroupRows(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	columns: Fragment = sql`cell, target_group, contacts, persons, referrals, last_at, key_sum, referral_key_sum`
) {
	// The groups present, found by skipping through the key (one index probe per group), so the
	// rows are then read by key: "target_group <> 0" cannot use the key and read every row of the
	// organisation (61 ms against 10 ms at 1,000,000 contacts on PostgreSQL).
	const present = sql`
		with recursive g (id) as (
			select min(target_group) from contact_rollup_coarse where org_id = ${orgId} and target_group > 0
			union all
			select (select min(target_group) from contact_rollup_coarse where org_id = ${orgId} and target_group > g.id)
			from g where g.id is not null
		)
		select id from g where id is not null`;
	return coarseRows(sql, orgId, { ...q, types: null }, null, columns, sql`target_group = any(array(${present}))`, false);
}

/** The plain question's keyed columns with its splits by contact type and by target group. */
export interface SplitColumns {
	all: KeyedHexColumns;
	/** Per contact type present (by id): the columns `?types=<id>` gives. */
	types: Map<number, KeyedHexColumns>;
	/** Per target group present (by id): the columns `?groups=<id>` gives (a contact with two groups is in both). */
	groups: Map<number, KeyedHexColumns>;
}

/**
 * What hexAggregateKeyed(q, byType) and the per-group split give together, for a question
 * without a filter or bbox that contact_rollup_coarse serves (coarseServes): its rows of target
 * group 0 by contact type, and its rows of each target group (all types), each grouped on the
 * bigint parent with the text and the local day made once per output row. Two statements, so
 * that PostgreSQL runs them side by side on two connections. Null when the question is not such
 * a one (the callers then use hexAggregateKeyed and the per-group query).
 */
export async function splitAggregateKeyed(sql: Sql, orgId: number, q: HexQuery): Promise<SplitColumns | null> {
	if (q.types || q.groups || q.teams || q.bbox || !coarseServes(q)) return null;
	const counts = sql`contacts, persons, referrals, last_at, key_sum, referral_key_sum`;
	const [typeRows, groupRows] = await Promise.all([
		keyedCellRows(sql, q, coarseRows(sql, orgId, q, null, sql`cell, contact_type, ${counts}`, sql`target_group = 0`, true)),
		keyedCellRows(sql, q, coarseGroupRows(sql, orgId, q, sql`cell, target_group, ${counts}`))
	]);
	const all = emptyKeyed(q);
	const types = new Map<number, KeyedHexColumns>();
	const groups = new Map<number, KeyedHexColumns>();
	// rows come ordered by cell: each cell's types merged into `all`
	collectKeyed(typeRows, q, all, types);
	collectKeyed(groupRows, q, null, groups);
	return { all, types, groups };
}

function pushRow(to: KeyedHexColumns, cell: string, contacts: number, persons: number, referrals: number, days: number, ck: number, rk: number) {
	to.cells.push(cell);
	to.contacts.push(contacts);
	to.persons.push(persons);
	to.referrals.push(referrals);
	to.daysSinceLast.push(days);
	to.contactKeys.push(ck);
	to.referralKeys.push(rk);
}

function coarseRows(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	cover: { res: number; cells: string[] } | null,
	columns: Fragment,
	groupCondition: Fragment,
	byType: boolean
) {
	const { months, days } = splitPeriod(q.from, q.to);
	const filters = sql`
		${q.types ? sql`and contact_type = any(${q.types}::smallint[])` : byType ? sql`and contact_type <> 0` : sql`and contact_type = 0`}
		${cover ? sql`and h3_parent(cell, ${cover.res}) = any(${cover.cells}::bigint[])` : sql``}`;
	const part = (grain: 'd' | 'm', [from, to]: [string, string]) => sql`
		select ${columns} from contact_rollup_coarse
		where org_id = ${orgId} and ${groupCondition} and grain = ${grain}
			and period >= ${from}::date and period < ${to}::date ${filters}`;
	const parts = [...(months ? [part('m', months)] : []), ...days.map((d) => part('d', d))];
	return parts.reduce((acc, p) => sql`${acc} union all ${p}`);
}

/**
 * Per cell, the referral target with the most referrals in the period (ties: the lower id), read
 * from contact_moment through the partial index of referrals with a known target, index-only
 * whatever the filter (it carries the type, target groups and team: migration 0021): it costs in
 * proportion to those referrals; the rollups have no target. At 1,000,000 contacts on
 * PostgreSQL, 2 years and one target group: 63 ms (398 ms when the groups were read from the table).
 */
export function topTargetRows(sql: Sql, orgId: number, q: HexQuery, cover: { res: number; cells: string[] } | null) {
	return sql`
		with t as (
			select h3_parent(cell, ${q.res}) as c, referral_target as target, count(*)::int as n
			from contact_moment
			where org_id = ${orgId} and referral_target is not null
				and occurred_at >= (${q.from}::date::timestamp at time zone 'Europe/Brussels')
				and occurred_at < ((${q.to}::date + 1)::timestamp at time zone 'Europe/Brussels')
				${q.types ? sql`and contact_type = any(${q.types}::smallint[])` : sql``}
				${cover ? sql`and h3_parent(cell, ${cover.res}) = any(${cover.cells}::bigint[])` : sql``}
				${q.groups ? sql`and target_groups && ${q.groups}::smallint[]` : sql``}
				${q.teams ? sql`and team_id = any(${q.teams}::smallint[])` : sql``}
			group by 1, 2
		)
		select distinct on (c) to_hex(c) as cell, target, n from t order by c, n desc, target`;
}

/** Cells two resolutions coarser that overlap the bbox: a short list for the SQL filter. */
function coarseCover(bbox: Bbox, res: number): { res: number; cells: string[] } {
	const coarse = Math.max(5, res - 2);
	const [w, s, e, n] = bbox;
	const ring = [
		[w, s],
		[e, s],
		[e, n],
		[w, n],
		[w, s]
	];
	const cells = polygonToCellsExperimental(ring, coarse, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true);
	if (cells.length > MAX_COVER_CELLS) throw new BboxTooLarge(`bbox too large for resolution ${res}`);
	return { res: coarse, cells: cells.map((c) => cellToBigInt(c).toString()) };
}

/** True for cells whose centre lies within the bbox grown by about one cell. */
function nearBbox([w, s, e, n]: Bbox, res: number): (cell: string) => boolean {
	const marginDeg = (getHexagonEdgeLengthAvg(res, 'km') * 2) / 111;
	const lngMargin = marginDeg / Math.cos((((s + n) / 2) * Math.PI) / 180);
	return (cell) => {
		const [lat, lng] = cellToLatLng(cell);
		return lat >= s - marginDeg && lat <= n + marginDeg && lng >= w - lngMargin && lng <= e + lngMargin;
	};
}

/** Keyed columns for a question, with no cells yet. */
export function emptyKeyed(q: Pick<HexQuery, 'res' | 'from' | 'to'>): KeyedHexColumns {
	return {
		res: q.res,
		from: q.from,
		to: q.to,
		cells: [],
		contacts: [],
		persons: [],
		referrals: [],
		daysSinceLast: [],
		contactKeys: [],
		referralKeys: []
	};
}
