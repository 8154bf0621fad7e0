// Underserved zones: the inputs of the score (domain/analysis/underserved) read from the database,
// at one resolution, for one period and optional target-group / team / contact-type filters.
//   past demand: contacts of the period per cell, and
//   reach: days since the last contact, over the STALE_DAYS before the period's end (both in one
//     query, hexAggregateWithWindow)
//   signals: open signals reported up to the period's last day
//   residents: the finest area layer with a population, spread over its cells
//   services: every service location, with its capacity
import { unpackCell } from '../../domain/cells';
import type { HexQuery } from '../../domain/hex-query';
import type { AreaGeometry } from '../../domain/analysis/population';
import { populationLayer } from '../area-layers';
import { UNDERSERVED, type ServiceInput, type ZoneInput, type ZoneScore } from '../../domain/analysis/underserved';
import { addDays, daysBetween } from '../../domain/calendar';
import { UNRESOLVED_STATUSES } from '../../domain/signals';
import type { Sql } from '../db';
import { CELL_KEY_MODULUS, publishZoneInput } from '../../domain/privacy';
import { hexAggregateWithWindow } from './hexes';
import { publishedHexes, type PublishedHexes } from './published';
import { compute } from '../compute-pool';
import { dataVersion } from '../data-version';

/**
 * Scoring with fewer access cells than this (zones, each split into its res-9 cells when coarser)
 * runs on the request thread. Measured (scripts/bench-underserved.ts, 2-core machine): a pool
 * round trip is ~0.2 ms plus the cloning, but a small task queued behind a res-10 scoring in the
 * one worker would wait for it; up to ~200 cells scoring takes under ~10 ms inline, so it stays.
 * Res 9 (~1,800 zones, ~50–100 ms) and res 10 (~12,000 zones, ~300–800 ms) go to the pool.
 */
export const SCORE_INLINE_BELOW = 200;

export type UnderservedQuery = Omit<HexQuery, 'bbox'>;

export interface UnderservedResult {
	res: number;
	from: string;
	to: string;
	/** The area layer residents were counted from, or null when no area has a population. */
	populationLayer: string | null;
	/** Every scored zone, highest first. */
	zones: ZoneScore[];
	/** Estimated residents per zone cell (cells without residents are left out). */
	residents: Map<string, number>;
}

/** The score's inputs as read from the database (underservedInputs), before scoring. */
export interface UnderservedInputs {
	zones: ZoneInput[];
	services: ServiceInput[];
	/** Days of the period (the score counts demand per year). */
	periodDays: number;
	populationLayer: string | null;
	residents: Map<string, number>;
}

/**
 * Every zone scored (underservedInputs, then scoreZones in the compute pool), highest first.
 * `analystK` publishes each zone's inputs before scoring (the hex map's published counts, see
 * publishZoneInput), so the score and its reasons can never say more than the published figures.
 * `recencyInPeriod` looks for the last visit within the period itself (for analysts: a second
 * window ending with the quarter would be one more overlapping question, see analyst-query.ts).
 */
export async function underservedZones(
	sql: Sql,
	orgId: number,
	q: UnderservedQuery,
	analystK?: number,
	{ recencyInPeriod = false }: { recencyInPeriod?: boolean } = {}
): Promise<UnderservedResult> {
	const inputs = await underservedInputs(sql, orgId, q, analystK, { recencyInPeriod });
	const { zones, services, periodDays } = inputs;
	return {
		res: q.res,
		from: q.from,
		to: q.to,
		populationLayer: inputs.populationLayer,
		zones: await compute('scoreZones', [zones, services, { periodDays }], {
			work: zones.length * 7 ** Math.max(0, UNDERSERVED.ACCESS_RES - q.res),
			inlineBelow: SCORE_INLINE_BELOW
		}),
		residents: inputs.residents
	};
}

/** The inputs of underservedZones' score (the same arguments), read from the database. */
export async function underservedInputs(
	sql: Sql,
	orgId: number,
	q: UnderservedQuery,
	analystK?: number,
	{ recencyInPeriod = false }: { recencyInPeriod?: boolean } = {}
): Promise<UnderservedInputs> {
	// Recency is looked up over the last STALE_DAYS before the period's end, whatever the period's
	// start, so a 30-day and a 12-month view agree on how long ago a zone was visited.
	const recentFrom = recencyInPeriod ? q.from : addDays(q.to, -(UNDERSERVED.STALE_DAYS - 1));
	const recentQ = { ...q, from: recentFrom, bbox: null };
	const kept = keptFor(sql, orgId);
	const [{ period: reach, window: recent }, signals, people, services, pubReach, pubRecent] = await Promise.all([
		hexAggregateWithWindow(sql, orgId, q, recentFrom, { targets: true }),
		openSignals(sql, orgId, q),
		kept.then((k) => keep(k.residents, q.res, () => residents(sql, orgId, q.res))),
		kept.then((k) => keep(k.services, 0, () => serviceInputs(sql, orgId))),
		analystK === undefined ? null : publishedHexes(sql, orgId, { ...q, bbox: null }, analystK),
		analystK === undefined || recentFrom === q.from ? null : publishedHexes(sql, orgId, recentQ, analystK)
	]);
	const inputs = new Map<string, ZoneInput>();
	const at = (cell: string) => {
		let z = inputs.get(cell);
		if (!z) inputs.set(cell, (z = { cell, openSignals: 0, population: 0, contacts: 0, daysSinceLast: null }));
		return z;
	};
	reach.cells.forEach((packed, i) => {
		const z = at(unpackCell(packed, q.res));
		z.contacts = reach.contacts[i]!;
		z.referrals = reach.referrals[i]!;
		const target = reach.topTarget?.[i] ?? null;
		if (target !== null) z.topTarget = { id: target, referrals: reach.topTargetReferrals![i]! };
	});
	recent.cells.forEach((packed, i) => {
		const z = at(unpackCell(packed, q.res));
		z.daysSinceLast = recent.daysSinceLast[i]!;
		z.recentContacts = recent.contacts[i]!;
	});
	for (const [cell, s] of signals) at(cell).openSignals = s.n;
	for (const [cell, n] of people.byCell) at(cell).population = n;
	let zones = [...inputs.values()];
	if (analystK !== undefined && pubReach) {
		const k = analystK;
		const byCell = (p: PublishedHexes) => new Map(p.cells.map((packed, i) => [unpackCell(packed, q.res), i]));
		const reachAt = byCell(pubReach);
		const recentPub = pubRecent ?? pubReach;
		const recentAt = pubRecent ? byCell(pubRecent) : reachAt;
		zones = zones.map((z) => {
			const i = reachAt.get(z.cell);
			const j = recentAt.get(z.cell);
			return publishZoneInput(
				z,
				{
					contacts: i === undefined ? 0 : pubReach.contacts[i]!,
					recentContacts: j === undefined ? 0 : recentPub.contacts[j]!,
					daysSinceLast: j === undefined ? null : recentPub.daysSinceLast[j]!,
					openSignals: signals.get(z.cell)?.n ?? 0,
					signalKey: signals.get(z.cell)?.key ?? 0,
					referrals: i === undefined ? 0 : pubReach.referrals[i]!
				},
				k
			);
		});
	}
	return { zones, services, periodDays: daysBetween(q.from, q.to) + 1, populationLayer: people.layer, residents: people.byCell };
}

/** Open signals per cell, with the sum of their record keys (mod M) for the cell-key rule. */
async function openSignals(sql: Sql, orgId: number, q: UnderservedQuery): Promise<Map<string, { n: number; key: number }>> {
	const rows = await sql`
		select to_hex(h3_parent(cell, ${q.res})) as cell, count(*)::int as n,
			(sum(record_key::bigint) % ${CELL_KEY_MODULUS})::int as key
		from signal
		where org_id = ${orgId} and status = any(${[...UNRESOLVED_STATUSES]}::text[])
			and reported_at < ((${q.to}::date + 1)::timestamp at time zone 'Europe/Brussels')
			${q.groups ? sql`and target_groups && ${q.groups}::smallint[]` : sql``}
		group by 1`;
	return new Map(rows.map((r) => [r.cell as string, { n: r.n as number, key: r.key as number }]));
}

/** What underservedInputs keeps of an organisation until its data version changes. */
interface Kept {
	version: string;
	/** Per resolution. */
	residents: Map<number, Promise<Residents>>;
	/** One entry (0). */
	services: Map<number, Promise<ServiceInput[]>>;
}

// Every write to areas, services or the layer choice bumps the data version (data-version.ts), so
// one query for it stands in for the four that read the residents' layer and the services. Per
// database handle, so two databases in one process (tests, the bench) never share an entry.
const keptByDb = new WeakMap<Sql, Map<number, Kept>>();

async function keptFor(sql: Sql, orgId: number): Promise<Kept> {
	const version = await dataVersion(sql, orgId);
	let byOrg = keptByDb.get(sql);
	if (!byOrg) keptByDb.set(sql, (byOrg = new Map()));
	let k = byOrg.get(orgId);
	if (k?.version !== version) byOrg.set(orgId, (k = { version, residents: new Map(), services: new Map() }));
	return k;
}

/** The kept promise for `key`, or a new one from `load` (forgotten again if it fails). */
function keep<T>(store: Map<number, Promise<T>>, key: number, load: () => Promise<T>): Promise<T> {
	let p = store.get(key);
	if (!p) {
		p = load();
		store.set(key, p);
		p.catch(() => store.delete(key));
	}
	return p;
}

interface Residents {
	layer: string | null;
	byCell: Map<string, number>;
}

// Areas change only on import; the cells of a layer at a resolution are kept until its rows change
// (across data versions: a contact import changes the version, not the areas).
const residentsCache = new Map<string, { key: string; byCell: Map<string, number> }>();

async function residents(sql: Sql, orgId: number, res: number): Promise<Residents> {
	// the organisation's population layer (area-layers.ts), its populated areas
	// (xmin: the transaction that last wrote a row, so a re-import changes the key)
	const chosen = await populationLayer(sql, orgId);
	const [layer] = chosen
		? await sql`
			select layer, count(*)::int as n, sum(population)::text as total, max(xmin::text::bigint)::text as written
			from area where org_id = ${orgId} and layer = ${chosen} and population > 0
			group by layer`
		: [];
	if (!layer) return { layer: null, byCell: new Map() };
	const name = layer.layer as string;
	const key = `${layer.n}:${layer.total}:${layer.written}`;
	const cacheKey = `${orgId}:${name}:${res}`;
	const hit = residentsCache.get(cacheKey);
	if (hit?.key === key) return { layer: name, byCell: hit.byCell };
	const areas = await sql`
		select population, geometry from area where org_id = ${orgId} and layer = ${name} and population > 0`;
	const populated = areas.map((a) => ({ population: a.population as number, geometry: a.geometry as AreaGeometry }));
	// once per layer, resolution and import (cached above): always worth a worker
	const byCell = await compute('populationByCell', [populated, res]);
	residentsCache.set(cacheKey, { key, byCell });
	return { layer: name, byCell };
}

async function serviceInputs(sql: Sql, orgId: number): Promise<ServiceInput[]> {
	const rows = await sql`select to_hex(cell) as cell, category, capacity from service_location where org_id = ${orgId}`;
	return rows.map((r) => ({ cell: r.cell as string, category: r.category as number, capacity: r.capacity as number | null }));
}
