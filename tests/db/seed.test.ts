// The demo organisation: seeded once, from the real Ghent areas, with generated data whose
// patterns (week, season, referrals, places) are what the demo is meant to show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToLatLng, getResolution, isValidCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { DEMO_SLUG, deleteDemo, ensureDemo, seedDemo, type SeedReport } from '../../src/lib/server/demo/seed';
import { generateContacts } from '../../src/lib/server/demo/contacts';
import { periodStart } from '../../src/lib/domain/calendar';
import { generateServices } from '../../src/lib/server/demo/services';
import { generateSignals } from '../../src/lib/server/demo/signals';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { findOrganisation } from '../../src/lib/server/organisations';

const TODAY = '2025-03-15';
const OPTS = { seed: 42, contacts: 5000, today: TODAY };
const [W, S, E, N] = [3.5798, 50.9795, 3.8493, 51.1889];

let t: TestDatabase;
let report: SeedReport;
let orgId: number;

beforeAll(async () => {
	t = await openTestDatabase();
	const r = await ensureDemo(t.sql, OPTS);
	if (!r) throw new Error('ensureDemo did not seed an empty database');
	report = r;
	orgId = r.orgId;
});
afterAll(() => t?.cleanup());

/** Content checksum of the demo contacts, independent of generated ids (service ids included). */
async function contactChecksum(): Promise<string> {
	const [r] = await t.sql`
		select md5(string_agg(concat_ws('|', c.external_id, extract(epoch from c.occurred_at), c.cell,
			c.contact_type, c.target_groups::text, c.themes::text, c.persons, c.referral, c.team_id, s.external_id),
			';' order by c.external_id)) as sum
		from contact_moment c
		join organisation o on o.org_id = c.org_id and o.slug = ${DEMO_SLUG}
		left join service_location s on s.org_id = c.org_id and s.service_id = c.referral_service_id`;
	return r!.sum as string;
}

describe(dbTitle('demo seed'), () => {
	it('creates the labelled demo organisation with default vocabularies and three teams', async () => {
		const org = await findOrganisation(t.sql, DEMO_SLUG);
		expect(org?.isDemo).toBe(true);
		expect(org?.name).toMatch(/^Demo: .*gegenereerde data/);
		expect(org?.bbox).toEqual([W, S, E, N]);
		const [v] = await t.sql`select count(*)::int as n from vocabulary where org_id = ${orgId}`;
		const expected = Object.values(DEFAULT_VOCABULARIES).reduce((a, l) => a + l.length, 0);
		expect(v!.n).toBe(expected);
		const teams = await t.sql`select name from team where org_id = ${orgId} order by team_id`;
		expect(teams.map((r) => r.name)).toEqual(['Team Centrum', 'Team Noord', 'Team Zuid']);
		expect(report.counts).toMatchObject({ contacts: 5000, districts: 25, sectors: 254, teams: 3 });
	});

	it('has the 25 real districts and 254 sectors, populations positive and adding up', async () => {
		const rows = await t.sql`
			select layer, count(*)::int as n, sum(population)::int as pop, min(population)::int as min_pop,
				count(*) filter (where geometry->>'type' in ('Polygon', 'MultiPolygon'))::int as geoms
			from area where org_id = ${orgId} group by layer order by layer`;
		const by = Object.fromEntries(rows.map((r) => [r.layer as string, r]));
		expect(by.district).toMatchObject({ n: 25, geoms: 25 });
		expect(by.sector).toMatchObject({ n: 254, geoms: 254 });
		for (const layer of ['district', 'sector']) {
			expect(by[layer]!.min_pop).toBeGreaterThan(0);
			expect(Math.abs(by[layer]!.pop - 267_813)).toBeLessThan(267_813 * 0.01);
		}
		// every sector hangs under an existing district, and sectors add up to their district
		const [bad] = await t.sql`
			select count(*)::int as n from area d
			where d.org_id = ${orgId} and d.layer = 'district'
				and d.population <> (select sum(s.population) from area s
					where s.org_id = d.org_id and s.layer = 'sector' and s.parent_code = d.code)`;
		expect(bad!.n).toBe(0);
		const [binnenstad] = await t.sql`select name from area where org_id = ${orgId} and layer = 'district' and code = '1'`;
		expect(binnenstad!.name).toBe('Binnenstad');
	});

	it('has at least 60 demo services covering all 8 categories, named and placed as demo', async () => {
		const rows = await t.sql`
			select category, name, to_hex(cell) as cell, opening_hours, capacity, external_id, source, is_demo, address
			from service_location where org_id = ${orgId}`;
		expect(rows.length).toBeGreaterThanOrEqual(60);
		const cats = new Set(rows.map((r) => r.category as number));
		expect([...cats].sort()).toEqual(DEFAULT_VOCABULARIES.service_category.map((c) => c.id));
		for (const r of rows) {
			expect(r.name).toMatch(/Demo/);
			expect(r.address).toMatch(/^Demo-adres/);
			expect(r.source).toBe('demo');
			expect(r.is_demo).toBe(true);
			expect(r.external_id).toMatch(/^demo-svc-\d{3}$/);
			expect(r.capacity).toBeGreaterThan(0);
			expect(r.opening_hours).toMatch(/^(Mo|Tu|We|Th|Fr|Sa|Su)[-,A-Za-z]* \d\d:\d\d-\d\d:\d\d/);
			expect(isValidCell(r.cell) && getResolution(r.cell)).toBe(12);
		}
		const shelters = rows.filter((r) => r.category === 1);
		expect(shelters.every((r) => /^Mo-Su 2\d:\d\d-0\d:\d\d$/.test(r.opening_hours))).toBe(true);
	});

	it('dates every contact within the 24 months ending today (Brussels time)', async () => {
		const from = periodStart(TODAY, 24);
		expect(from).toBe('2023-03-16');
		const [r] = await t.sql`
			select count(*)::int as n,
				count(*) filter (where occurred_at < (${from}::date::timestamp at time zone 'Europe/Brussels'))::int as early,
				count(*) filter (where occurred_at >= ((${TODAY}::date + 1)::timestamp at time zone 'Europe/Brussels'))::int as late,
				count(distinct (occurred_at at time zone 'Europe/Brussels')::date)::int as days
			from contact_moment where org_id = ${orgId}`;
		expect(r).toMatchObject({ n: 5000, early: 0, late: 0 });
		expect(r!.days).toBeGreaterThan(600); // spread over the whole period, not bunched
	});

	it('stores every contact as a valid res-10 H3 cell inside the Ghent bbox', async () => {
		const rows = await t.sql`
			select distinct to_hex(cell) as cell, h3_resolution(cell) as res from contact_moment where org_id = ${orgId}`;
		expect(rows.length).toBeGreaterThan(500);
		for (const r of rows) {
			const cell = r.cell as string;
			expect(isValidCell(cell)).toBe(true);
			expect(getResolution(cell)).toBe(10);
			expect(r.res).toBe(10);
			const [lat, lng] = cellToLatLng(cell);
			expect(lng).toBeGreaterThan(W);
			expect(lng).toBeLessThan(E);
			expect(lat).toBeGreaterThan(S);
			expect(lat).toBeLessThan(N);
		}
		const [flags] = await t.sql`
			select bool_and(is_demo) as demo, bool_and(source = 'demo') as src,
				bool_and(cardinality(target_groups) between 1 and 3) as tg,
				bool_and(cardinality(themes) between 1 and 3) as th,
				bool_and(persons between 1 and 6) as p, count(*) filter (where team_id is null)::int as no_team
			from contact_moment where org_id = ${orgId}`;
		expect(flags).toMatchObject({ demo: true, src: true, tg: true, th: true, p: true, no_team: 0 });
	});

	it('refers about 12 % of contacts, to services of the same organisation', async () => {
		const [r] = await t.sql`
			select avg(referral::int)::float as share,
				count(*) filter (where referral_service_id is not null and not referral)::int as stray,
				count(*) filter (where referral_service_id is not null)::int as to_service
			from contact_moment where org_id = ${orgId}`;
		expect(r!.share).toBeGreaterThan(0.05);
		expect(r!.share).toBeLessThan(0.25);
		expect(r!.stray).toBe(0);
		expect(r!.to_service).toBeGreaterThan(0);
	});

	it('has fewer contacts on Sundays than on an average weekday', async () => {
		const rows = await t.sql`
			select extract(isodow from occurred_at at time zone 'Europe/Brussels')::int as dow, count(*)::int as n
			from contact_moment where org_id = ${orgId} group by 1`;
		const n = new Map(rows.map((r) => [r.dow as number, r.n as number]));
		const weekday = [1, 2, 3, 4, 5].reduce((a, d) => a + (n.get(d) ?? 0), 0) / 5;
		expect(n.get(7) ?? 0).toBeLessThan(weekday * 0.6);
	});

	it('meets more homeless people in winter and more young people in summer', async () => {
		const [r] = await t.sql`
			with c as (
				select extract(month from occurred_at at time zone 'Europe/Brussels')::int as m, target_groups as g
				from contact_moment where org_id = ${orgId})
			select count(*) filter (where m in (12, 1, 2) and 1 = any(g))::int as winter_homeless,
				count(*) filter (where m in (6, 7, 8) and 1 = any(g))::int as summer_homeless,
				count(*) filter (where m in (12, 1, 2) and 4 = any(g))::int as winter_youth,
				count(*) filter (where m in (6, 7, 8) and 4 = any(g))::int as summer_youth
			from c`;
		expect(r!.winter_homeless).toBeGreaterThan(r!.summer_homeless * 1.2);
		expect(r!.summer_youth).toBeGreaterThan(r!.winter_youth * 1.2);
	});

	it('has open (recent) and handled signals, some where no contact ever was', async () => {
		const [r] = await t.sql`
			select count(*)::int as n,
				count(*) filter (where status = 'open')::int as open,
				count(*) filter (where status = 'handled')::int as handled,
				count(*) filter (where (status = 'handled') <> (handled_at is not null))::int as inconsistent,
				count(*) filter (where handled_at < reported_at)::int as backwards,
				count(*) filter (where status = 'open' and reported_at < ${TODAY}::date - 120)::int as old_open,
				count(distinct reporter_kind)::int as kinds,
				count(*) filter (where h3_resolution(cell) <> 10)::int as bad_res
			from signal where org_id = ${orgId}`;
		expect(r!.n).toBeGreaterThanOrEqual(150);
		expect(r!.open).toBeGreaterThan(r!.n * 0.15);
		expect(r!.handled).toBeGreaterThan(r!.n * 0.5);
		expect(r).toMatchObject({ inconsistent: 0, backwards: 0, old_open: 0, kinds: 3, bad_res: 0 });
		// signals in res-9 cells (~175 m) without any contact: the underserved analysis's material
		const [u] = await t.sql`
			select count(*)::int as n from signal s where s.org_id = ${orgId}
				and not exists (select 1 from contact_moment c where c.org_id = s.org_id
					and h3_parent(c.cell, 9) = h3_parent(s.cell, 9))`;
		expect(u!.n).toBeGreaterThan(20);
	});

	it('gives every demo round a route; a past round’s contacts lie in its route zones', async () => {
		const rounds = await t.sql`
			select r.round_id, r.planned_on::text as on, r.start_label,
				(select count(*)::int from street_round_stop s where s.org_id = r.org_id and s.round_id = r.round_id) as stops,
				(select count(*)::int from contact_moment c where c.org_id = r.org_id and c.round_id = r.round_id) as linked,
				(select count(*)::int from contact_moment c where c.org_id = r.org_id and c.round_id = r.round_id
					and not exists (select 1 from street_round_stop s where s.org_id = c.org_id and s.round_id = c.round_id
						and s.cell = h3_parent(c.cell, o.planning_res))) as outside
			from street_round r join organisation o on o.org_id = r.org_id
			where r.org_id = ${orgId} order by r.planned_on`;
		expect(rounds).toHaveLength(10);
		for (const r of rounds) {
			expect(r.start_label, `round of ${r.on}`).toBeTruthy();
			expect(r.stops as number, `round of ${r.on}`).toBeGreaterThan(0);
			expect(r.outside, `round of ${r.on}`).toBe(0);
		}
		// with 5,000 contacts over two years some afternoons have none; most past rounds have some
		const past = rounds.filter((r) => (r.on as string) < TODAY);
		expect(past.filter((r) => (r.linked as number) > 0).length).toBeGreaterThanOrEqual(past.length / 2);
		// today's round starts at 19:00 and has open signals near its zones assigned, by the coordinator
		const todays = rounds.find((r) => r.on === TODAY)!;
		const [when] = await t.sql`select start_time::text as t from street_round where org_id = ${orgId} and round_id = ${todays.round_id}`;
		expect(when!.t).toBe('19:00:00');
		const assigned = await t.sql`
			select s.status, e.from_status, e.to_status, u.role from signal s
			join signal_event e on e.org_id = s.org_id and e.signal_id = s.signal_id
			join app_user u on u.org_id = e.org_id and u.user_id = e.user_id
			where s.org_id = ${orgId} and s.round_id = ${todays.round_id}`;
		expect(assigned.length).toBeGreaterThanOrEqual(1);
		expect(assigned.length).toBeLessThanOrEqual(2);
		for (const a of assigned) expect(a).toEqual({ status: 'assigned', from_status: 'open', to_status: 'assigned', role: 'coordinator' });
	});

	it('ensureDemo does not seed a second time', async () => {
		const count = async () => {
			const [r] = await t.sql`
				select (select count(*) from organisation where slug = ${DEMO_SLUG})::int as orgs,
					(select count(*) from contact_moment)::int as contacts,
					(select count(*) from signal)::int as signals,
					(select count(*) from service_location)::int as services`;
			return r;
		};
		const before = await count();
		expect(await ensureDemo(t.sql, OPTS)).toBe(false);
		expect(await ensureDemo(t.sql, { ...OPTS, seed: 7 })).toBe(false);
		expect(await count()).toEqual(before);
		await expect(seedDemo(t.sql, OPTS)).rejects.toThrow(/exists/);
		expect(await count()).toEqual(before); // the failed attempt rolled back
	});

	it('is deterministic: a reseed with the same seed gives the same rows', async () => {
		const first = await contactChecksum();
		expect(await deleteDemo(t.sql)).toBe(true);
		expect(await findOrganisation(t.sql, DEMO_SLUG)).toBeUndefined();
		const again = await seedDemo(t.sql, OPTS);
		orgId = again.orgId;
		expect(await contactChecksum()).toBe(first);
		expect(again.counts).toEqual(report.counts);
	});
});

describe('demo generators (pure)', () => {
	const services = generateServices(42).map((s, i) => ({ serviceId: i + 1, lat: s.lat, lng: s.lng, category: s.category }));
	const rows = (seed: number) => [...generateContacts({ seed, count: 3000, today: TODAY, services, teams: [1, 2, 3], batchSize: 1000 })];

	it('yields exact counts in batches, in time order', () => {
		const batches = rows(42);
		expect(batches.map((b) => b.size)).toEqual([1000, 1000, 1000]);
		const times = batches.flatMap((b) => b.occurredAt);
		expect([...times].sort()).toEqual(times);
		expect(batches[2]!.externalId.at(-1)).toBe('demo-c-0003000');
		for (const b of batches) for (const arr of Object.values(b)) if (Array.isArray(arr)) expect(arr).toHaveLength(b.size);
	});

	it('repeats for a seed and differs between seeds', () => {
		expect(rows(42)).toEqual(rows(42));
		expect(rows(42)[0]!.cell).not.toEqual(rows(43)[0]!.cell);
		expect(generateServices(42)).toEqual(generateServices(42));
		expect(generateSignals({ seed: 42, today: TODAY })).toEqual(generateSignals({ seed: 42, today: TODAY }));
	});
});
