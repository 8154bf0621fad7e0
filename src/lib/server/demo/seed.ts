// The demo organisation: real Ghent districts and sectors, generated (and labelled) services,
// contacts and signals. Seeded once, in one transaction, so a crash half-way leaves nothing and
// the next start simply tries again.
import type { Sql } from '../db';
import { cellToBigInt } from '../../domain/cells';
import { findOrganisation, insertOrganisation } from '../organisations';
import { fillMissingAreaCells } from '../area-cells';
import { todayInBrussels } from '../clock';
import { generateContacts, type ServiceRef } from './contacts';
import { periodStart } from '../../domain/calendar';
import { GENT_BBOX } from './places';
import { geometryAreaM2, loadDistricts, loadSectors } from './gent-areas';
import { generateServices } from './services';
import { generateSignals } from './signals';
import { DEMO_USERS, insertDemoUsers } from './users';
import { insertDemoRounds } from './rounds';

export const DEMO_SLUG = 'demo-gent';
export const DEMO_NAME = 'Demo: Stad Gent outreach (gegenereerde data)';
export const DEMO_TEAMS = ['Team Centrum', 'Team Noord', 'Team Zuid'] as const;
/** Any constant shared by all app nodes: they serialise on it so only one seeds. */
const SEED_LOCK = 7243012;
const BATCH = 10_000;
const BOOL_OID = 16;

export interface SeedOptions {
	seed?: number;
	contacts?: number;
	/** Last day of the 24-month period, YYYY-MM-DD; default today in Brussels. */
	today?: string;
	/** Months of contacts up to today (default 24); fewer makes each period denser (benches). */
	contactMonths?: number;
	onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
	orgId: number;
	seed: number;
	from: string;
	today: string;
	counts: {
		teams: number;
		districts: number;
		sectors: number;
		services: number;
		contacts: number;
		signals: number;
		users: number;
		rounds: number;
	};
	/** Milliseconds per step and in total. */
	ms: { areas: number; services: number; contacts: number; signals: number; total: number };
}

/** Raised inside the seeding transaction when another process seeded first. */
export class DemoExists extends Error {}

export async function seedDemo(sql: Sql, opts: SeedOptions = {}): Promise<SeedReport> {
	const seed = opts.seed ?? 42;
	const total = opts.contacts ?? 60_000;
	const today = opts.today ?? todayInBrussels();
	const from = periodStart(today, 24);
	const t0 = performance.now();
	const ms = { areas: 0, services: 0, contacts: 0, signals: 0, total: 0 };
	const lap = (() => {
		let t = t0;
		return () => {
			const now = performance.now();
			const d = Math.round(now - t);
			t = now;
			return d;
		};
	})();

	return sql.begin(async (txn) => {
		const tx = txn as unknown as Sql;
		await tx`select pg_advisory_xact_lock(${SEED_LOCK})`;
		if (await findOrganisation(tx, DEMO_SLUG)) throw new DemoExists(`${DEMO_SLUG} exists`);
		const orgId = await insertOrganisation(tx, { slug: DEMO_SLUG, name: DEMO_NAME, bbox: GENT_BBOX, isDemo: true });

		const teamIds = DEMO_TEAMS.map((_, i) => i + 1);
		await tx`insert into team (org_id, team_id, name)
			select ${orgId}, * from unnest(${teamIds}::smallint[], ${[...DEMO_TEAMS]}::text[])`;

		const areas = await insertAreas(tx, orgId);
		// Ghent's choice of layers (settings/areas), and each area's cells for zones
		await tx`update organisation set district_layer = 'district', population_layer = 'sector' where org_id = ${orgId}`;
		await fillMissingAreaCells(tx, orgId);
		ms.areas = lap();

		const services = await insertServices(tx, orgId, seed);
		ms.services = lap();

		let done = 0;
		// The boolean column goes through tx.array(…, BOOL_OID): a bare JS boolean array is sent
		// as a scalar boolean ("cannot cast type boolean to boolean[]"), and a text array of
		// 'true'/'false' is silently serialised as all false by postgres.js's bool serialiser.
		for (const b of generateContacts({
			seed,
			count: total,
			today,
			months: opts.contactMonths ?? 24,
			storageRes: 10,
			services,
			teams: teamIds,
			batchSize: BATCH
		})) {
			await tx`
				insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes,
					persons, referral, referral_service_id, referral_target, team_id, source, external_id, is_demo)
				select ${orgId}, t.at, t.cell, t.ct, t.tg::smallint[], t.th::smallint[], t.p, t.r, t.rs, t.rt, t.team,
					'demo', t.ext, true
				from unnest(${b.occurredAt}::timestamptz[], ${b.cell}::bigint[], ${b.contactType}::smallint[],
					${b.targetGroups}::text[], ${b.themes}::text[], ${b.persons}::smallint[], ${tx.array(b.referral, BOOL_OID)}::boolean[],
					${b.referralServiceId}::integer[], ${b.referralTarget}::smallint[], ${b.teamId}::smallint[], ${b.externalId}::text[])
					as t(at, cell, ct, tg, th, p, r, rs, rt, team, ext)`;
			done += b.size;
			opts.onProgress?.(done, total);
		}
		ms.contacts = lap();

		const signals = generateSignals({ seed, today, storageRes: 10 });
		await tx`
			insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, status,
				handled_at, source, external_id, is_demo)
			select ${orgId}, t.at, t.cell, t.kind, t.descr, t.tg::smallint[], t.status, t.handled, 'demo', t.ext, true
			from unnest(${signals.map((s) => s.reportedAt)}::timestamptz[], ${signals.map((s) => s.cell)}::bigint[],
				${signals.map((s) => s.reporterKind)}::text[], ${signals.map((s) => s.description)}::text[],
				${signals.map((s) => s.targetGroups)}::text[], ${signals.map((s) => s.status)}::text[],
				${signals.map((s) => s.handledAt)}::timestamptz[], ${signals.map((s) => s.externalId)}::text[])
				as t(at, cell, kind, descr, tg, status, handled, ext)`;
		ms.signals = lap();
		const userIds = await insertDemoUsers(tx, orgId, today);
		const rounds = await insertDemoRounds(tx, orgId, today, userIds);
		ms.total = Math.round(performance.now() - t0);

		return {
			orgId,
			seed,
			from,
			today,
			counts: {
				teams: teamIds.length,
				districts: areas.districts,
				sectors: areas.sectors,
				services: services.length,
				contacts: done,
				signals: signals.length,
				users: DEMO_USERS.length + userIds.colleagues.length,
				rounds
			},
			ms
		} satisfies SeedReport;
	}) as Promise<SeedReport>;
}

/**
 * Seeds the demo unless an organisation with DEMO_SLUG exists. Returns the report when it
 * seeded and `false` when it did not (so `if (await ensureDemo(sql))` reads naturally).
 */
export async function ensureDemo(sql: Sql, opts: SeedOptions = {}): Promise<SeedReport | false> {
	if (await findOrganisation(sql, DEMO_SLUG)) return false;
	try {
		return await seedDemo(sql, opts);
	} catch (e) {
		if (e instanceof DemoExists) return false; // another node won the race
		throw e;
	}
}

/** Deletes the demo organisation and everything in it (foreign keys cascade). */
export async function deleteDemo(sql: Sql): Promise<boolean> {
	const rows = await sql`delete from organisation where slug = ${DEMO_SLUG} returning org_id`;
	return rows.length > 0;
}

/**
 * Districts with their (estimated, 2024) population, and statistical sectors. There is no open
 * population per sector at hand, so a sector gets its district's population in proportion to its
 * share of the district's area, rounded by largest remainder so the sectors add up exactly to the
 * district. That is crude (parks and docks get residents), but enough to weigh demand in the demo.
 */
async function insertAreas(tx: Sql, orgId: number): Promise<{ districts: number; sectors: number }> {
	const districts = loadDistricts();
	const sectors = loadSectors();
	const rows: { layer: string; code: string; name: string; parent: string | null; pop: number; geom: string }[] = districts.map((d) => ({
		layer: 'district',
		code: String(d.wijknr),
		name: d.name,
		parent: null,
		pop: d.population,
		geom: JSON.stringify(d.geometry)
	}));
	for (const d of districts) {
		const own = sectors.filter((s) => s.wijknr === d.wijknr);
		const areas = own.map((s) => geometryAreaM2(s.geometry));
		const sum = areas.reduce((a, b) => a + b, 0);
		const exact = areas.map((a) => (d.population * a) / sum);
		const pops = exact.map(Math.floor);
		let left = d.population - pops.reduce((a, b) => a + b, 0);
		for (const i of exact
			.map((x, i) => [x - Math.floor(x), i] as const)
			.sort((a, b) => b[0] - a[0])
			.map(([, i]) => i)) {
			if (left-- <= 0) break;
			pops[i]!++;
		}
		own.forEach((s, i) =>
			rows.push({
				layer: 'sector',
				code: s.code,
				name: s.name,
				parent: String(d.wijknr),
				pop: pops[i]!,
				geom: JSON.stringify(s.geometry)
			})
		);
	}
	await tx`
		insert into area (org_id, layer, code, name, parent_code, population, geometry)
		select ${orgId}, t.layer, t.code, t.name, t.parent, t.pop, t.geom::jsonb
		from unnest(${rows.map((r) => r.layer)}::text[], ${rows.map((r) => r.code)}::text[],
			${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.parent)}::text[],
			${rows.map((r) => r.pop)}::integer[], ${rows.map((r) => r.geom)}::text[])
			as t(layer, code, name, parent, pop, geom)`;
	return { districts: districts.length, sectors: rows.length - districts.length };
}

async function insertServices(tx: Sql, orgId: number, seed: number): Promise<ServiceRef[]> {
	const list = generateServices(seed);
	const rows = await tx`
		insert into service_location (org_id, source, external_id, category, name, cell, address, capacity,
			opening_hours, is_demo)
		select ${orgId}, 'demo', t.ext, t.cat, t.name, t.cell, t.addr, t.cap, t.hours, true
		from unnest(${list.map((s) => s.externalId)}::text[], ${list.map((s) => s.category)}::smallint[],
			${list.map((s) => s.name)}::text[], ${list.map((s) => cellToBigInt(s.cell).toString())}::bigint[],
			${list.map((s) => s.address)}::text[], ${list.map((s) => s.capacity)}::integer[],
			${list.map((s) => s.openingHours)}::text[])
			as t(ext, cat, name, cell, addr, cap, hours)
		returning service_id, external_id`;
	const idByExt = new Map(rows.map((r) => [r.external_id as string, r.service_id as number]));
	return list.map((s) => ({
		serviceId: idByExt.get(s.externalId)!,
		lat: s.lat,
		lng: s.lng,
		category: s.category
	}));
}
