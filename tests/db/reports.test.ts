// The coverage report against a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL
// is set): figures per area from hand-inserted contacts, signals and a service, exact for
// coordinators and published for analysts, with the roles' refusals (400 and 403 naming the
// parameter), the CSV and XLSX exports and their audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToCenterChild, gridDisk, latLngToCell } from 'h3-js';
import { strFromU8, unzipSync } from 'fflate';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { square } from '../helpers/square';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { todayInBrussels } from '../../src/lib/server/clock';
import { layerCells } from '../../src/lib/server/queries/reports';
import { addDays, endedQuarters, previousQuarter, quarter, quarterOf } from '../../src/lib/domain/calendar';
import { bounds } from '../../src/lib/domain/privacy';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { areaCells as areaCellSet } from '../../src/lib/domain/analysis/population';
import type { CoverageReport } from '../../src/lib/api/reports';

/** The area's cells at `res`, in h3 polygonToCells order (which cell is 'b2' depends on it). */
const areaCells = (g: Parameters<typeof areaCellSet>[0], res: number) => [...areaCellSet(g, res)];

const RES = 9;
const K = 5;
// Noord (A) and, 5 km south, Zuid (B); a third layer with one large area.
const A = square(3.7, 51.05, 0.01);
const B = square(3.7, 51.0, 0.01);
const a1 = latLngToCell(51.055, 3.705, RES);
const a2 = gridDisk(a1, 1).find((c) => c !== a1)!;
const b1 = latLngToCell(51.005, 3.705, RES);
const b2 = areaCells(B, RES).find((c) => c !== b1)!;
const outside = latLngToCell(51.09, 3.75, RES);
const stored = (cell: string) => cellToBigInt(cellToCenterChild(cell, 10)).toString();

const today = todayInBrussels();
const Q = endedQuarters(today, 1)[0]!;
const PREV = previousQuarter(Q);
const YEAR = quarter(Q.year - 1, Q.q);
const day = (q: { from: string }, n: number) => addDays(q.from, n);

let t: TestDatabase;
let orgId: number;
const tokens: Record<'coordinator' | 'analyst' | 'worker', string> = { coordinator: '', analyst: '', worker: '' };

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const org = await createOrganisation(t.sql, { slug: 'rep', name: 'Report test', bbox: [3.6, 50.95, 3.8, 51.1] });
	orgId = org.orgId;
	for (const role of ['coordinator', 'analyst', 'worker'] as const) {
		const userId = await createUser(t.sql, { orgId, email: `${role}@rep.example`, name: role, role });
		tokens[role] = await createSession(t.sql, { orgId, userId });
	}
	await t.sql`insert into area (org_id, layer, code, name, population, geometry) values
		(${orgId}, 'district', 'A', 'Noord', 2000, ${t.sql.json(A)}),
		(${orgId}, 'district', 'B', 'Zuid', 1000, ${t.sql.json(B)}),
		(${orgId}, 'stad', 'G', 'Gent', null, ${t.sql.json(square(3.6, 50.95, 0.2))})`;
	// the organisation's own choice of district layer (settings/areas): reports open on it
	await t.sql`update organisation set district_layer = 'district' where org_id = ${orgId}`;
	const contacts: [string, string, boolean][] = [];
	// this quarter: 12 in a1 (the last on day 40), 3 in a2 (the last on day 20), 2 referrals; 2 in b1; 1 outside
	for (let i = 0; i < 12; i++) contacts.push([a1, day(Q, 30 + (i % 11)), i < 2]);
	for (let i = 0; i < 3; i++) contacts.push([a2, day(Q, 20), false]);
	for (let i = 0; i < 2; i++) contacts.push([b1, day(Q, 50), false]);
	contacts.push([outside, day(Q, 10), false]);
	// the quarter before: 6 in a1; a year earlier: 10 in a1
	for (let i = 0; i < 6; i++) contacts.push([a1, day(PREV, 15), false]);
	for (let i = 0; i < 10; i++) contacts.push([a1, day(YEAR, 15), false]);
	// the first referral names its target (referral target 3, CAW), the second none
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, referral, referral_target, external_id)
		select ${orgId}, (d::date + time '12:00') at time zone 'Europe/Brussels', c, 1, r, case when e = 'c0' then 3 end, e from unnest(
			${contacts.map((c) => c[1])}::text[], ${contacts.map((c) => stored(c[0]))}::bigint[],
			${contacts.map((c) => String(c[2]))}::text[]::boolean[], ${contacts.map((_, i) => `c${i}`)}::text[]) as u(d, c, r, e)`;
	// signals: one open in a1 (this quarter), two open in b2 (never visited), one handled
	const sig = (cell: string, at: string, status: string, ext: string) => t.sql`
		insert into signal (org_id, reported_at, cell, reporter_kind, description, status, external_id)
		values (${orgId}, ${at + 'T10:00:00Z'}, ${stored(cell)}, 'partner', 'x', ${status}, ${ext})`;
	await sig(a1, day(Q, 5), 'open', 's1');
	await sig(b2, day(Q, 6), 'open', 's2');
	await sig(b2, day(Q, 7), 'open', 's3');
	await sig(a1, day(Q, 8), 'handled', 's4');
	// a shelter in the middle of Noord
	await t.sql`insert into service_location (org_id, external_id, category, name, cell, capacity)
		values (${orgId}, 'n', 1, 'Nachtopvang', ${cellToBigInt(latLngToCell(51.055, 3.705, 12)).toString()}, 20)`;
});
afterAll(() => t?.cleanup());

const get = (role: keyof typeof tokens, qs: string, route = '/api/reports/coverage') =>
	callRoute(t.sql, route, `${route}?${qs}`, { token: tokens[role] });
const quarterQs = (q: { from: string; to: string }) => `from=${q.from}&to=${q.to}`;
const idx = (r: CoverageReport, code: string) => r.areas.codes.indexOf(code);

describe(dbTitle('coverage report'), () => {
	const cellsA = areaCells(A, RES);
	const cellsB = areaCells(B, RES);

	it('places the test cells where the test means them', () => {
		expect(cellsA).toContain(a1);
		expect(cellsA).toContain(a2);
		expect(cellsB).toContain(b1);
		expect(cellsB).toContain(b2);
	});

	it('gives coordinators exact figures per area, the total and both comparisons', async () => {
		const o = await get('coordinator', quarterQs(Q));
		expect(o.status, JSON.stringify(o.body)).toBe(200);
		const r = o.body as CoverageReport;
		expect(r.layer).toBe('district');
		expect(r.layers).toEqual(['district', 'stad']);
		expect(r.published).toBeNull();
		expect(r.areas.names).toEqual(['Noord', 'Zuid']);
		expect(r.areas.cells).toEqual([cellsA.length, cellsB.length]);
		const a = idx(r, 'A');
		const b = idx(r, 'B');
		const c = r.current.areas;
		expect([c.contacts[a], c.persons[a], c.referrals[a]]).toEqual([15, 15, 2]);
		expect(c.perThousand[a]).toBe(7.5);
		expect(c.coverage[a]).toBeCloseTo(2 / cellsA.length, 10);
		// a1 last seen on day 40, a2 on day 20: days to the quarter's end, median of the two
		const toEnd = (n: number) => Math.round((Date.parse(Q.to) - Date.parse(day(Q, n))) / 86_400_000);
		expect(c.medianDays[a]).toBe(Math.floor((toEnd(40) + toEnd(20)) / 2));
		expect([c.contacts[b], c.perThousand[b], c.coverage[b]]).toEqual([2, 2, 1 / cellsB.length]);
		expect([c.signals[a], c.signals[b]]).toEqual([1, 2]);
		expect([c.services[a], c.services[b]]).toEqual([1, 0]);
		// b2: two open signals, no visit, no service within reach: underserved (score ≥ 50)
		expect([c.underserved[a], c.underserved[b]]).toEqual([0, 1]);
		// the organisation: every contact, also outside the areas
		expect(r.current.total).toMatchObject({ contacts: 18, persons: 18, referrals: 2, signals: 3, services: 1, underserved: 1 });
		expect(r.current.total.perThousand).toBe(6);
		expect(r.current.total.coverage).toBeCloseTo(3 / (cellsA.length + cellsB.length), 10);
		// referrals by target category: the organisation's referral targets, then "unknown"
		expect(r.targets.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0]);
		const caw = r.targets.findIndex((x) => x.code === 'caw');
		const unknown = r.targets.findIndex((x) => x.id === 0);
		expect(r.current.byTarget.areas[caw]).toEqual([1, 0]);
		expect(r.current.byTarget.areas[unknown]).toEqual([1, 0]);
		expect(r.current.byTarget.total).toEqual(r.targets.map((x) => (x.id === 3 || x.id === 0 ? 1 : 0)));
		expect(r.previous.byTarget.total.every((n) => n === 0)).toBe(true);
		// the quarter before and a year earlier
		expect([r.previous.from, r.previous.to]).toEqual([PREV.from, PREV.to]);
		expect([r.yearEarlier.from, r.yearEarlier.to]).toEqual([YEAR.from, YEAR.to]);
		expect(r.previous.areas.contacts[a]).toBe(6);
		expect(r.previous.areas.signals[a]).toBe(0);
		expect(r.yearEarlier.areas.contacts[a]).toBe(10);
		expect(r.previous.total.contacts).toBe(6);
		// the gap ranking: Zuid first (its underserved zone), with reasons
		// the gap ranking: highest first, Zuid with its reasons (the underserved zone, the signals,
		// coverage and reach below the organisation's, no service near)
		expect(r.gap.map((g) => g.score)).toEqual([...r.gap.map((g) => g.score)].sort((x, y) => y - x));
		expect(r.gap.find((g) => g.code === 'B')!.reasons).toEqual([
			{ kind: 'zones', n: 1, of: cellsB.length },
			{ kind: 'signals', count: 2 },
			{ kind: 'coverage', share: 1 / cellsB.length, org: 3 / (cellsA.length + cellsB.length) },
			{ kind: 'perThousand', value: 2, org: 6 },
			{ kind: 'lastVisit', days: toEnd(50) },
			{ kind: 'noService' }
		]);
	});

	it('takes any period from coordinators, and other layers', async () => {
		const o = await get('coordinator', `from=${day(Q, 20)}&to=${day(Q, 20)}&layer=stad`);
		expect(o.status).toBe(200);
		const r = o.body as CoverageReport;
		expect(r.areas.codes).toEqual(['G']);
		// the three contacts of a2 that day; the previous period is the day before
		expect(r.current.areas.contacts).toEqual([3]);
		expect(r.current.areas.perThousand).toEqual([null]);
		expect([r.previous.from, r.previous.to]).toEqual([day(Q, 19), day(Q, 19)]);
	});

	it('gives analysts published figures only: nothing from 1 to k-1, totals from the true counts', async () => {
		const o = await get('analyst', quarterQs(Q));
		expect(o.status, JSON.stringify(o.body)).toBe(200);
		const r = o.body as CoverageReport;
		expect(r.published).toEqual({ k: K, rounding: 5 });
		const a = idx(r, 'A');
		const b = idx(r, 'B');
		const c = r.current.areas;
		// Contacts, persons and referrals are the map's area totals at the analyst's resolution (8):
		// Noord holds the res-8 cell of a1 (its centre lies in Noord; a2's does not), so 12 true
		// contacts, perturbed by the cell-key rule (−2..+2 from the random record keys, rounded)
		// (a total may also be one class higher: publishTotal's guard against its parts)
		const admits = (v: number | null, count: number, total = false) => {
			const bd = bounds(v, K);
			return bd.lo - (total ? 5 : 0) <= count && count <= bd.hi;
		};
		expect(admits(c.contacts[a]!, 12, true) && admits(c.persons[a]!, 12, true), `${c.contacts[a]} ${c.persons[a]}`).toBe(true);
		expect([10, 15, 20]).toContain(c.contacts[a]);
		// 2 referrals and 2 visited cells are below k
		expect([c.referrals[a], c.coverage[a]]).toEqual([null, null]);
		expect(c.medianDays[a]! % 7).toBe(0);
		// Zuid's 2 contacts: every contact figure withheld
		expect([c.contacts[b], c.persons[b], c.perThousand[b], c.coverage[b], c.medianDays[b], c.referrals[b]]).toEqual([
			null,
			null,
			null,
			null,
			null,
			null
		]);
		expect(c.signals).toEqual([null, null]);
		// 18 true contacts: the map's total (from the true count, never summed from the areas)
		expect(admits(r.current.total.contacts, 18, true), String(r.current.total.contacts)).toBe(true);
		expect(admits(r.previous.areas.contacts[a]!, 6, true), String(r.previous.areas.contacts[a])).toBe(true);
		expect(admits(r.yearEarlier.areas.contacts[a]!, 10, true), String(r.yearEarlier.areas.contacts[a])).toBe(true);
		// the same question asked as the analyst's map: the report's total is the map's total
		const map = await callRoute(t.sql, '/api/hexes', `/api/hexes?res=8&from=${Q.from}&to=${Q.to}`, { token: tokens.analyst });
		expect(r.current.total.contacts).toBe((map.body as { totals: { contacts: number | null } }).totals.contacts);
		for (const p of [r.current, r.previous, r.yearEarlier]) {
			for (const col of ['contacts', 'persons', 'referrals', 'signals'] as const) {
				for (const v of [...p.areas[col], p.total[col]]) if (v !== null) expect(v === 0 || (v >= K && v % 5 === 0), `${col} ${v}`).toBe(true);
			}
		}
	});

	it('refuses analysts any period but one ended quarter, naming the parameter (403)', async () => {
		const open = quarterOf(today);
		for (const [qs, param] of [
			[`from=${Q.from}&to=${addDays(Q.to, -1)}`, 'from'],
			[quarterQs(open), 'to'],
			[`from=${PREV.from}&to=${Q.to}`, 'from']
		] as const) {
			const o = await get('analyst', qs);
			expect(o.status, qs).toBe(403);
			expect(o.body).toMatchObject({ error: { code: 'role_refused', param } });
		}
	});

	it('answers a malformed parameter with 400 naming it, and workers with 403', async () => {
		for (const [qs, param] of [
			['from=2026-02-30&to=2026-03-31', 'from'],
			[`from=${Q.from}&to=yesterday`, 'to'],
			[`from=${Q.to}&to=${Q.from}`, 'from'],
			[`${quarterQs(Q)}&layer=nowhere`, 'layer'],
			[`${quarterQs(Q)}&res=9`, 'res']
		] as const) {
			const o = await get('coordinator', qs);
			expect(o.status, qs).toBe(400);
			expect(o.body).toMatchObject({ error: { param } });
		}
		expect((await get('worker', quarterQs(Q))).status).toBe(403);
	});

	it('computes the areas’ cells once per layer and data version', async () => {
		const first = await layerCells(t.sql, orgId, 'district', RES, 8, 'v1');
		expect(await layerCells(t.sql, orgId, 'district', RES, 8, 'v1')).toBe(first);
		expect(await layerCells(t.sql, orgId, 'district', RES, 8, 'v2')).not.toBe(first);
	});
});

describe(dbTitle('coverage report exports'), () => {
	const exportOf = (role: keyof typeof tokens, qs: string) => callRoute(t.sql, '/reports/export', `/reports/export?${qs}`, { token: tokens[role] });

	it('writes the analyst’s CSV with its head and published figures only, and audits it', async () => {
		const before = await t.sql`select count(*)::int as n from audit_log where org_id = ${orgId} and action = 'export'`;
		const o = await exportOf('analyst', `${quarterQs(Q)}&format=csv&lang=nl`);
		expect(o.status).toBe(200);
		expect(o.headers!.get('content-type')).toMatch(/^text\/csv/);
		const lines = String(o.body)
			.replace(/^\ufeff/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe('Dekkingsrapport');
		expect(lines[1]).toBe(`Periode;${Q.from};${Q.to}`);
		expect(lines[3]).toBe('Gebiedslaag;district');
		expect(lines[4]).toContain('k = 5');
		expect(lines[5]).toMatch(/^Gemaakt op;\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		const header = lines[7]!.split(';');
		const rows = lines.slice(8).map((l) => l.split(';'));
		expect(rows.map((r) => r[1])).toEqual(['Noord', 'Zuid', 'Organisatie (totaal)']);
		// every count column: no value from 1 to k−1
		const countCols = header.flatMap((h, i) =>
			/^(contacten|personen|toeleidingen|toeleidingen naar .+|open signalen)( vorig| jaar eerder)?$/.test(h) && !/verschil/.test(h) ? [i] : []
		);
		// four counts and nine referral categories (eight targets and "Onbekend"), three periods each
		expect(header).toContain('toeleidingen naar CAW');
		expect(header).toContain('toeleidingen naar Onbekend vorig');
		expect(countCols.length).toBe(3 * (4 + 9));
		for (const r of rows)
			for (const i of countCols)
				expect(['0', '< 5'].includes(r[i]!) || (Number(r[i]) >= 5 && Number(r[i]) % 5 === 0), `${header[i]} ${r[i]}`).toBe(true);
		// the file's total is the report's (and the map's): the same records, the same noise
		const json = (await get('analyst', quarterQs(Q))).body as CoverageReport;
		expect(rows[2]![header.indexOf('contacten')]).toBe(String(json.current.total.contacts));
		const after = await t.sql`select detail from audit_log where org_id = ${orgId} and action = 'export' order by audit_id`;
		expect(after.length).toBe((before[0]!.n as number) + 1);
		expect(after.at(-1)!.detail).toMatchObject({ report: 'coverage', format: 'csv', layer: 'district', from: Q.from, to: Q.to, role: 'analyst' });
	});

	it('writes the coordinator’s XLSX with exact figures', async () => {
		const o = await exportOf('coordinator', `${quarterQs(Q)}&format=xlsx&lang=en`);
		expect(o.status).toBe(200);
		expect(o.headers!.get('content-type')).toContain('spreadsheetml');
		const files = unzipSync(new Uint8Array(o.body as Buffer));
		const strings = strFromU8(files['xl/sharedStrings.xml']!);
		for (const s of ['Coverage report', 'Area layer', 'exact counts (coordinator)', 'Made at', 'Noord', 'Zuid', 'Organisation (total)'])
			expect(strings).toContain(s);
		// Noord's 15 contacts and the 18 of the organisation, exact, as numbers
		const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
		expect(sheet).toContain('<v>15</v>');
		expect(sheet).toContain('<v>18</v>');
		expect(strings).toContain('referrals to CAW');
	});

	it('refuses a bad format with 400 and an analyst’s open quarter with 403', async () => {
		expect((await exportOf('coordinator', `${quarterQs(Q)}&format=pdf`)).body).toMatchObject({ error: { param: 'format' } });
		const open = quarterOf(today);
		expect((await exportOf('analyst', `${quarterQs(open)}&format=csv`)).status).toBe(403);
	});
});
