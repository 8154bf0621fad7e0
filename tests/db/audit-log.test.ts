// The audit page's log: pages of 50 by keyset (newest first, nothing lost or repeated while
// paging either way), filters by who, what and Brussels days, and the CSV export of a filter,
// which is formula-safe and itself an entry of the log (ids and codes only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { auditPage, countAudit, type AuditPage } from '../../src/lib/server/audit-log';
import { AUDIT_ACTIONS } from '../../src/lib/server/audit';
import { NO_AUDIT_FILTER, parseAuditFilter, type AuditCursor, type AuditFilter } from '../../src/lib/domain/audit-filter';

let t: TestDatabase;
let orgId: number;
let otherOrg: number;
let coordinator: number;
let worker: number;
let token: string;
const PAGE = 50;

/** Every entry of the organisation, newest first: [audit_id, user_id, action, at]. */
let all: { id: number; user: number | null; action: string; at: Date }[] = [];

const filter = (f: Partial<AuditFilter>): AuditFilter => ({ ...NO_AUDIT_FILTER, ...f });
const ids = (p: AuditPage) => p.entries.map((e) => e.auditId);

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	orgId = (await createOrganisation(t.sql, { slug: 'auditlog', name: 'Audit Log', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	otherOrg = (await createOrganisation(t.sql, { slug: 'elsewhere', name: 'Elsewhere', bbox: [4.3, 50.8, 4.5, 50.9] })).orgId;
	coordinator = await createUser(t.sql, {
		orgId,
		email: 'c@auditlog.example',
		name: 'Coördinator',
		role: 'coordinator',
		password: 'long enough password 1'
	});
	// a name a spreadsheet would run as a formula
	worker = await createUser(t.sql, { orgId, email: 'w@auditlog.example', name: '=HYPERLINK("http://x.example")', role: 'worker' });
	token = await createSession(t.sql, { orgId, userId: coordinator });
	// 130 entries, one an hour back from 2026-03-30 12:00 UTC (over the switch to summer time on
	// 29 March), in the order they happened; every fifth without a user (the system)
	const base = Date.parse('2026-03-30T12:00:00Z');
	const rows = Array.from({ length: 130 }, (_, i) => {
		const n = 129 - i;
		return {
			at: new Date(base - n * 3_600_000),
			user: n % 5 === 0 ? null : n % 2 ? worker : coordinator,
			action: n % 5 === 0 ? 'retention.run' : n % 3 === 0 ? 'view.hexes' : 'login'
		};
	});
	for (const r of rows) {
		await t.sql`insert into audit_log (org_id, at, user_id, action, detail) values (${orgId}, ${r.at}, ${r.user}, ${r.action}, ${t.sql.json({ n: 1 })})`;
	}
	// two entries at the same instant: the id orders them
	const same = new Date(base + 3_600_000);
	for (let i = 0; i < 2; i++) await t.sql`insert into audit_log (org_id, at, user_id, action) values (${orgId}, ${same}, ${coordinator}, 'export')`;
	await t.sql`insert into audit_log (org_id, at, user_id, action) values (${otherOrg}, ${same}, null, 'login')`;
	all = (await t.sql`select audit_id, user_id, action, at from audit_log where org_id = ${orgId} order by at desc, audit_id desc`).map((r) => ({
		id: Number(r.audit_id),
		user: r.user_id as number | null,
		action: r.action as string,
		at: r.at as Date
	}));
});
afterAll(() => t?.cleanup());

async function walk(f: AuditFilter): Promise<{ older: number[][]; newer: number[][] }> {
	const older: number[][] = [];
	let cursor: AuditCursor | null = null;
	let p: AuditPage;
	do {
		p = await auditPage(t.sql, orgId, f, cursor, PAGE);
		older.push(ids(p));
		cursor = p.older === null ? null : { dir: 'before', auditId: p.older };
	} while (cursor);
	// and back up from the last page
	const newer: number[][] = [ids(p)];
	while (p.newer !== null) {
		p = await auditPage(t.sql, orgId, f, { dir: 'after', auditId: p.newer }, PAGE);
		newer.unshift(ids(p));
	}
	return { older, newer };
}

describe(dbTitle('audit log pages and filters'), () => {
	it('pages through every entry newest first, 50 at a time, and back', async () => {
		expect(all).toHaveLength(132);
		const first = await auditPage(t.sql, orgId, NO_AUDIT_FILTER, null, PAGE);
		expect([first.total, first.before, first.newer, first.entries.length]).toEqual([132, 0, null, 50]);
		const { older, newer } = await walk(NO_AUDIT_FILTER);
		expect(older.map((p) => p.length)).toEqual([50, 50, 32]);
		expect(older.flat()).toEqual(all.map((e) => e.id));
		expect(newer).toEqual(older);
		// the page says where it starts
		const second = await auditPage(t.sql, orgId, NO_AUDIT_FILTER, { dir: 'before', auditId: first.older! }, PAGE);
		expect([second.before, second.newer, second.older]).toEqual([50, second.entries[0]!.auditId, second.entries[49]!.auditId]);
	});

	it('keeps its pages while new entries arrive, and ignores a cursor of another organisation', async () => {
		const first = await auditPage(t.sql, orgId, NO_AUDIT_FILTER, null, PAGE);
		await t.sql`insert into audit_log (org_id, user_id, action) values (${orgId}, ${coordinator}, 'logout')`;
		const second = await auditPage(t.sql, orgId, NO_AUDIT_FILTER, { dir: 'before', auditId: first.older! }, PAGE);
		expect(ids(second)).toEqual(all.slice(50, 100).map((e) => e.id));
		expect(second.before).toBe(51); // the new entry is counted above this page
		await t.sql`delete from audit_log where org_id = ${orgId} and action = 'logout'`;
		const [foreign] = await t.sql`select audit_id from audit_log where org_id = ${otherOrg}`;
		const p = await auditPage(t.sql, orgId, NO_AUDIT_FILTER, { dir: 'before', auditId: Number(foreign!.audit_id) }, PAGE);
		expect(ids(p)).toEqual(all.slice(0, 50).map((e) => e.id));
	});

	it('filters by who, what and period', async () => {
		const count = (f: Partial<AuditFilter>) => countAudit(t.sql, orgId, filter(f));
		expect(await count({ user: worker })).toBe(all.filter((e) => e.user === worker).length);
		expect(await count({ user: 'system' })).toBe(all.filter((e) => e.user === null).length);
		expect(await count({ action: 'view.hexes' })).toBe(all.filter((e) => e.action === 'view.hexes').length);
		expect(await count({ user: coordinator, action: 'export' })).toBe(2);
		// each filter pages on its own: every system entry once, in order
		const { older } = await walk(filter({ user: 'system' }));
		expect(older.flat()).toEqual(all.filter((e) => e.user === null).map((e) => e.id));
	});

	it('counts days in Brussels time, both ends inclusive', async () => {
		// 2026-03-29 starts at 23:00 UTC the day before and lasts 23 hours (summer time from 02:00)
		const day = (d: string) => all.filter((e) => e.at >= new Date(`${d}T00:00:00Z`)).length;
		expect(await countAudit(t.sql, orgId, filter({ from: '2026-03-29', to: '2026-03-29' }))).toBe(23);
		const from = await auditPage(t.sql, orgId, filter({ from: '2026-03-29' }), null, PAGE);
		expect(from.total).toBe(all.filter((e) => e.at >= new Date('2026-03-28T23:00:00Z')).length);
		expect(from.total).not.toBe(day('2026-03-29'));
		const to = await countAudit(t.sql, orgId, filter({ to: '2026-03-28' }));
		expect(to).toBe(all.filter((e) => e.at < new Date('2026-03-28T23:00:00Z')).length);
	});

	it('reads filters from a query string and refuses what it does not know', () => {
		const q = (s: string) => parseAuditFilter(new URLSearchParams(s), AUDIT_ACTIONS);
		expect(q('user=7&action=user.create&from=2026-01-01&to=2026-01-31')).toEqual({
			user: 7,
			action: 'user.create',
			from: '2026-01-01',
			to: '2026-01-31'
		});
		expect(q('user=&action=&from=&to=')).toEqual(NO_AUDIT_FILTER);
		expect(q('user=system').user).toBe('system');
		expect(() => q('user=abc')).toThrow(expect.objectContaining({ code: 'auditUserInvalid', field: 'user' }));
		expect(() => q('action=drop.table')).toThrow(expect.objectContaining({ code: 'auditActionInvalid', field: 'action' }));
		expect(() => q('from=2026-02-30')).toThrow(expect.objectContaining({ code: 'dateInvalid', field: 'from' }));
		expect(() => q('from=2026-02-10&to=2026-02-01')).toThrow(expect.objectContaining({ code: 'dateOrder', field: 'to' }));
	});
});

describe(dbTitle('audit log export'), () => {
	it('writes the filtered entries as formula-safe CSV in the page language, and logs the export', async () => {
		const path = `/audit/export?user=${worker}&from=2026-03-29&to=2026-03-30&lang=en`;
		const o = await callRoute(t.sql, '/audit/export', path, { token });
		expect(o.status).toBe(200);
		const lines = String(o.body)
			.replace(/^\ufeff/, '')
			.trimEnd()
			.split('\r\n');
		expect(lines[0]).toBe('time;user_id;user;action_code;action;details');
		const expected = all.filter((e) => e.user === worker && e.at >= new Date('2026-03-28T23:00:00Z'));
		expect(lines).toHaveLength(expected.length + 1);
		// Brussels wall-clock time, the user's id and name with the formula defused, the label in English
		expect(lines[1]).toMatch(
			/^2026-03-30 1\d:00:00;\d+;"'=HYPERLINK\(""http:\/\/x\.example""\) <w@auditlog\.example>";(login|view\.hexes);(Signed in|Viewed the map|[^;]+);"\{""n"":1\}"$/
		);
		const [entry] = await t.sql`select user_id, detail from audit_log where org_id = ${orgId} and action = 'audit.export'`;
		expect(entry).toEqual({
			user_id: coordinator,
			detail: { who: worker, from: '2026-03-29', to: '2026-03-30', rows: expected.length, format: 'csv' }
		});
		// Dutch headers and labels on request
		const nl = await callRoute(t.sql, '/audit/export', '/audit/export?action=retention.run&lang=nl', { token });
		const nlLines = String(nl.body)
			.replace(/^\ufeff/, '')
			.trimEnd()
			.split('\r\n');
		expect(nlLines[0]).toBe('tijdstip;gebruiker_id;gebruiker;actie_code;actie;details');
		expect(nlLines[1]).toMatch(/^[\d-]+ [\d:]+;;systeem;retention\.run;Oude contactmomenten verwijderd \(bewaartermijn\);/);
		await t.sql`delete from audit_log where org_id = ${orgId} and action = 'audit.export'`;
	});

	it('refuses a filter it cannot read, and writes no entry for it', async () => {
		const o = await callRoute(t.sql, '/audit/export', '/audit/export?from=yesterday', { token });
		expect(o.status).toBe(400);
		expect(o.body).toMatchObject({ error: { code: 'dateInvalid', param: 'from' } });
		expect(await t.sql`select 1 from audit_log where org_id = ${orgId} and action = 'audit.export'`).toHaveLength(0);
	});

	it('shows the page with its filter, range and cursors', async () => {
		const o = await callRoute(t.sql, '/audit', '/audit?user=system', { token });
		const body = o.body as { total: number; rangeStart: number; entries: { id: number }[]; older: number | null; filter: AuditFilter };
		expect(o.status).toBe(200);
		expect(body.filter).toEqual(filter({ user: 'system' }));
		expect([body.total, body.rangeStart, body.older]).toEqual([all.filter((e) => e.user === null).length, 1, null]);
		const bad = await callRoute(t.sql, '/audit', '/audit?to=2026-13-01', { token });
		expect(bad.body).toMatchObject({ problem: { field: 'to', code: 'dateInvalid' }, entries: [] });
	});
});
