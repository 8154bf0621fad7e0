// Underserved zones read from a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL
// is set): each input of the score comes from the right rows, and analysts' scores come from
// published figures only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { underservedZones, type UnderservedQuery } from '../../src/lib/server/queries/underserved';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { square } from '../helpers/square';

let t: TestDatabase;
let orgId: number;
const RES = 9;
// Korenmarkt (a shelter next to it) and Muide, ~2 km north (nothing near).
const korenmarkt = latLngToCell(51.0543, 3.7208, RES);
const muide = latLngToCell(51.0712, 3.7353, RES);
const fine = (cell: string) => cellToBigInt(cellToChildren(cell, 10)[0]!).toString();
const q: UnderservedQuery = { res: RES, from: '2026-01-01', to: '2026-06-30', types: null, groups: null, teams: null };

beforeAll(async () => {
	t = await openTestDatabase();
	const org = await createOrganisation(t.sql, { slug: 'us', name: 'Underserved test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	const sig = (cell: string, status: string, groups: string, at: string, ext: string) => t.sql`
		insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, status, external_id)
		values (${orgId}, ${at}, ${fine(cell)}, 'partner', 'iemand slaapt hier', ${groups}::smallint[], ${status}, ${ext})`;
	await sig(muide, 'open', '{1}', '2026-05-01T10:00:00+02:00', 's1');
	await sig(muide, 'open', '{2}', '2026-05-02T10:00:00+02:00', 's2');
	await sig(muide, 'open', '{1}', '2026-05-03T10:00:00+02:00', 's3');
	await sig(muide, 'handled', '{1}', '2026-05-04T10:00:00+02:00', 's4'); // handled: not counted
	await sig(muide, 'open', '{1}', '2026-07-05T10:00:00+02:00', 's5'); // after the period
	await sig(korenmarkt, 'open', '{1}', '2026-06-01T10:00:00+02:00', 's6');
	// contacts: Korenmarkt visited on 20 June, Muide once in January
	for (const [cell, at, ext] of [
		[korenmarkt, '2026-06-20T14:00:00+02:00', 'c1'],
		[korenmarkt, '2026-06-10T14:00:00+02:00', 'c2'],
		[muide, '2026-01-15T14:00:00+01:00', 'c3']
	] as const) {
		await t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
			values (${orgId}, ${at}, ${fine(cell)}, 1, '{1}', ${ext})`;
	}
	await t.sql`insert into service_location (org_id, external_id, category, name, cell, capacity)
		values (${orgId}, 'nacht', 1, 'Nachtopvang', ${cellToBigInt(cellToChildren(korenmarkt, 12)[0]!).toString()}, 30)`;
	// residents: two layers; the one with more populated areas (sectors) is used
	await t.sql`insert into area (org_id, layer, code, name, population, geometry) values
		(${orgId}, 'district', 'D1', 'Binnenstad', 10000, ${t.sql.json(square(3.7, 51.04, 0.05))}),
		(${orgId}, 'sector', 'S1', 'Kouter', 600, ${t.sql.json(square(3.715, 51.05, 0.01))}),
		(${orgId}, 'sector', 'S2', 'Muide', 3000, ${t.sql.json(square(3.73, 51.068, 0.01))})`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('underserved zones'), () => {
	it('reads open signals of the period, contacts, days since the last visit and residents per cell', async () => {
		const r = await underservedZones(t.sql, orgId, q);
		expect(r.populationLayer).toBe('sector');
		const byCell = new Map(r.zones.map((z) => [z.cell, z]));
		const m = byCell.get(muide)!;
		expect(m.reasons.find((x) => x.kind === 'signals')).toMatchObject({ count: 3 });
		// 15 Jan → 30 Jun is over 90 days: no visit in the last 90 days
		expect(m.reasons.find((x) => x.kind === 'noVisit')).toMatchObject({ days: null });
		const k = byCell.get(korenmarkt)!;
		expect(k.reasons.find((x) => x.kind === 'signals')).toMatchObject({ count: 1 });
		// Muide has more signals, a long-past visit and no service near: first
		expect(r.zones[0]!.cell).toBe(muide);
		expect(m.score).toBeGreaterThan(k.score);
		// residents: the Muide sector's 3,000 over its ~0.8 km² of cells (not the district's 10,000)
		const p = m.reasons.find((x) => x.kind === 'population');
		expect(p?.kind === 'population' && p.perKm2).toBeGreaterThan(3000);
		expect(p?.kind === 'population' && p.perKm2).toBeLessThan(5000);
	});

	it('looks back 90 days for the last visit whatever the period, so a month and a half-year agree', async () => {
		const days = async (from: string) => {
			const r = await underservedZones(t.sql, orgId, { ...q, from });
			const v = r.zones.find((z) => z.cell === korenmarkt)!.reasons.find((x) => x.kind === 'noVisit');
			return v?.kind === 'noVisit' ? v.days : 'no reason';
		};
		// Korenmarkt: last visit 20 June, 10 days before the period's end, also in a 5-day view
		const [half, five] = [await days('2026-01-01'), await days('2026-06-26')];
		expect(five).toBe(half);
		const r = await underservedZones(t.sql, orgId, { ...q, from: '2026-06-26' });
		const k = r.zones.find((z) => z.cell === korenmarkt)!;
		const full = (await underservedZones(t.sql, orgId, q)).zones.find((z) => z.cell === korenmarkt)!;
		expect(k.gap).toBeCloseTo(full.gap, 12);
	});

	it('filters signals and contacts by target group', async () => {
		const r = await underservedZones(t.sql, orgId, { ...q, groups: [2] });
		const m = r.zones.find((z) => z.cell === muide)!;
		expect(m.reasons.find((x) => x.kind === 'signals')).toMatchObject({ count: 1 });
		// no contact of group 2: never visited in the period
		expect(m.reasons.find((x) => x.kind === 'noVisit')).toMatchObject({ days: null });
		expect(r.zones.find((z) => z.cell === korenmarkt)?.reasons.some((x) => x.kind === 'signals')).toBeFalsy();
	});

	it('scores analysts from published figures: no count under k, days in weeks', async () => {
		const k = 5;
		const r = await underservedZones(t.sql, orgId, { ...q, res: 8 }, k);
		const m = r.zones.find((z) => z.cell === cellToParent(muide, 8))!;
		// 3 open signals < k: the score used k/2, and the reason's count is a stand-in, not 3
		const s = m.reasons.find((x) => x.kind === 'signals');
		expect(s?.kind === 'signals' && s.count).toBe(k / 2);
		const v = m.reasons.find((x) => x.kind === 'noVisit');
		expect(v?.kind === 'noVisit' && v.days! % 7).toBe(0);
		// Korenmarkt: 2 contacts in the last 90 days, fewer than k: its last visit is withheld
		const kz = r.zones.find((z) => z.cell === cellToParent(korenmarkt, 8))!;
		const kv = kz.reasons.find((x) => x.kind === 'noVisit');
		expect(kv === undefined || (kv.kind === 'noVisit' && kv.days === null && kv.withheld === true)).toBe(true);
		expect(kz.gap).toBeGreaterThan(0.65 * 0.5 - 1e-12); // withheld counts as half-way to unvisited
	});

	it('for analysts, looks for the last visit within the period itself (no second, overlapping window)', async () => {
		const zone = (r: Awaited<ReturnType<typeof underservedZones>>) => r.zones.find((z) => z.cell === muide)!;
		// the default looks back 90 days from 30 June: Muide's visit of 15 January is outside
		const usual = zone(await underservedZones(t.sql, orgId, q));
		expect(usual.reasons.find((x) => x.kind === 'noVisit')).toMatchObject({ days: null });
		const inPeriod = zone(await underservedZones(t.sql, orgId, q, undefined, { recencyInPeriod: true }));
		expect(inPeriod.reasons.find((x) => x.kind === 'noVisit')).toMatchObject({ days: 166 });
	});

	it('is empty for an organisation without data', async () => {
		const other = await createOrganisation(t.sql, { slug: 'leeg', name: 'Leeg', bbox: [3.6, 51.0, 3.8, 51.1] });
		const r = await underservedZones(t.sql, other.orgId, q);
		expect(r).toMatchObject({ populationLayer: null, zones: [] });
	});

	// runs last: it changes the organisation's areas and services
	it('sees a changed population and a new service at once (residents and services are kept per data version)', async () => {
		const total = (r: Awaited<ReturnType<typeof underservedZones>>) => [...r.residents.values()].reduce((a, b) => a + b, 0);
		const zone = (r: Awaited<ReturnType<typeof underservedZones>>) => r.zones.find((z) => z.cell === muide)!;
		const before = await underservedZones(t.sql, orgId, q);
		expect(Math.round(total(before))).toBe(3600);
		await t.sql`update area set population = 6000 where org_id = ${orgId} and layer = 'sector' and code = 'S2'`;
		const more = await underservedZones(t.sql, orgId, q);
		expect(Math.round(total(more))).toBe(6600);
		await t.sql`insert into service_location (org_id, external_id, category, name, cell, capacity)
			values (${orgId}, 'muide', 1, 'Inloop Muide', ${cellToBigInt(cellToChildren(muide, 12)[0]!).toString()}, 30)`;
		const served = await underservedZones(t.sql, orgId, q);
		const nearest = (r: Awaited<ReturnType<typeof underservedZones>>) => {
			const s = zone(r).reasons.find((x) => x.kind === 'services');
			return s?.kind === 'services' ? s.nearestM : null;
		};
		expect(nearest(more)).toBeGreaterThan(1000);
		expect(zone(served).score).toBeLessThan(zone(more).score);
		expect(nearest(served) ?? 0).toBeLessThan(100);
	});
});
