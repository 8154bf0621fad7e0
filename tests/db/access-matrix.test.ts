// Every route, called as every role, as an anonymous visitor and as a coordinator of another
// organisation, through the real guard and handlers. Each case checks the status and that no
// forbidden field or count comes back. A route on disk without an entry here fails the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute, discoverRoutes, type Outcome } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { DEMO_USERS } from '../../src/lib/server/demo/users';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createRound } from '../../src/lib/server/rounds';
import { todayInBrussels } from '../../src/lib/server/clock';
import { ROUTE_ACCESS } from '../../src/lib/domain/access';
import { ROUNDING_BASE, cellKey, lowestPublished, publishValue } from '../../src/lib/domain/privacy';
import { addDays, endedQuarters, quarterOf, wholeQuarter } from '../../src/lib/domain/calendar';

type Who = 'anon' | 'coordinator' | 'worker' | 'analyst' | 'other';
const WHO: Who[] = ['anon', 'coordinator', 'worker', 'analyst', 'other'];

interface Case {
	path: string;
	method?: 'GET' | 'POST';
	/** Form fields, or a function of the caller (e.g. a unique email per caller). */
	form?: Record<string, string> | ((who: Who) => Record<string, string>);
	raw?: string;
	params?: Record<string, string>;
	status: Record<Who, number>;
	/** Extra checks on the outcome, per caller. */
	check?: (who: Who, o: Outcome) => void;
}

const K = 5;
const pages = (coordinator: number, worker: number, analyst: number): Record<Who, number> => ({
	anon: 303,
	coordinator,
	worker,
	analyst,
	other: coordinator
});
const api = (coordinator: number, worker: number, analyst: number): Record<Who, number> => ({
	anon: 401,
	coordinator,
	worker,
	analyst,
	other: coordinator
});

/** No count from 1 to k-1, and only rounded values, in anything an analyst receives. */
function assertPublished(body: unknown) {
	const b = body as Record<string, (number | null)[]> & { totals: Record<string, number | null> };
	for (const col of ['contacts', 'persons', 'referrals']) {
		for (const v of b[col]!) if (v !== null) expect(v === 0 || (v >= K && v % 5 === 0), `${col} ${v}`).toBe(true);
	}
	for (const v of Object.values(b.totals)) if (v !== null) expect(v === 0 || (v >= K && v % 5 === 0)).toBe(true);
}

let demoOrgName = '';
const demoEmails = DEMO_USERS.map((u) => u.email);
/** Two street rounds of the demo organisation today: one the coordinator deletes, one that stays. */
const ROUND_TITLE = 'Matrix-ronde Stationsbuurt';
const rounds = { doomed: 0, kept: 0 };

/** Another organisation's caller must never see anything of the demo organisation. */
function assertNothingOfDemo(o: Outcome) {
	const text = JSON.stringify(o.body ?? '');
	expect(text).not.toContain(demoOrgName);
	for (const email of demoEmails) expect(text).not.toContain(email);
}

const MATRIX: Record<string, Case[]> = {
	'/': [{ path: '/', status: pages(200, 200, 200) }],
	'/login': [{ path: '/login', status: { anon: 200, coordinator: 303, worker: 303, analyst: 303, other: 303 } }],
	'/logout': [{ path: '/logout', method: 'POST', status: { anon: 303, coordinator: 303, worker: 303, analyst: 303, other: 303 } }],
	'/reset/[token]': [
		{ path: '/reset/forged-token', params: { token: 'forged-token' }, status: { anon: 200, coordinator: 200, worker: 200, analyst: 200, other: 200 } }
	],
	'/users': [
		{ path: '/users', status: pages(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) },
		{
			path: '/users',
			method: 'POST',
			// emails are unique across organisations, so each caller creates its own
			form: (who) => ({ intent: 'create', email: `new-${who}@y.example`, name: 'X', role: 'analyst' }),
			status: pages(200, 403, 403)
		}
	],
	'/zones': [{ path: '/zones', status: pages(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) }],
	'/rounds': [
		{
			path: '/rounds',
			status: pages(200, 403, 403),
			check: (who, o) => {
				if (who === 'coordinator') expect(JSON.stringify(o.body)).toContain(ROUND_TITLE);
				if (who === 'other') {
					assertNothingOfDemo(o);
					expect(JSON.stringify(o.body)).not.toContain(ROUND_TITLE);
				}
			}
		},
		// an empty form: reaching the action answers 400 (field named), never 200
		{
			path: '/rounds?/create',
			method: 'POST',
			form: {},
			status: pages(400, 403, 403),
			check: (who, o) => o.status === 400 && expect(o.body).toMatchObject({ field: 'plannedOn' })
		},
		// the coordinator deletes one demo round; the other organisation's coordinator cannot
		// delete the remaining one (not found in their organisation)
		{
			path: '/rounds?/delete',
			method: 'POST',
			form: (who) => ({ roundId: String(who === 'other' ? rounds.kept : rounds.doomed) }),
			status: { ...pages(200, 403, 403), other: 404 }
		}
	],
	// the kept round is walked by the demo coordinator and worker; ids exist once beforeAll ran
	'/rounds/[id]': [
		{
			get path() {
				return `/rounds/${rounds.kept}`;
			},
			get params() {
				return { id: String(rounds.kept) };
			},
			status: { ...pages(200, 200, 403), other: 404 },
			check: (who, o) => {
				const b = o.body as { zones: unknown[]; canEdit: boolean };
				if (who === 'coordinator') expect([b.canEdit, b.zones.length > 10]).toEqual([true, true]);
				if (who === 'worker') expect([b.canEdit, b.zones]).toEqual([false, []]);
			}
		},
		{
			get path() {
				return `/rounds/${rounds.kept}?/save`;
			},
			get params() {
				return { id: String(rounds.kept) };
			},
			method: 'POST',
			form: { route: JSON.stringify({ start: null, stops: [] }) },
			status: { ...pages(200, 403, 403), other: 404 }
		},
		{
			get path() {
				return `/rounds/${rounds.kept}?/budget`;
			},
			get params() {
				return { id: String(rounds.kept) };
			},
			method: 'POST',
			form: { budgetMinutes: '150' },
			status: { ...pages(200, 403, 403), other: 404 }
		}
	],
	// an evening far ahead, so nothing of the demo's rounds is on it
	'/rounds/evening/[date]': [
		{
			path: '/rounds/evening/2030-01-08',
			params: { date: '2030-01-08' },
			status: pages(200, 403, 403),
			check: (who, o) => {
				if (who === 'other') assertNothingOfDemo(o);
				if (who === 'coordinator') expect((o.body as { zones: unknown[] }).zones.length).toBeGreaterThan(10);
			}
		},
		// an empty evening: reaching the action answers 400, never 200
		{
			path: '/rounds/evening/2030-01-08?/save',
			params: { date: '2030-01-08' },
			method: 'POST',
			form: { evening: '{}' },
			status: pages(400, 403, 403)
		}
	],
	'/rounds/week': [
		{ path: '/rounds/week', status: pages(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) },
		{ path: '/rounds/week?/accept', method: 'POST', form: { round: '{}' }, status: pages(400, 403, 403) }
	],
	'/rounds/[id]/export': [
		{
			get path() {
				return `/rounds/${rounds.kept}/export?format=gpx`;
			},
			get params() {
				return { id: String(rounds.kept) };
			},
			status: { ...pages(200, 200, 403), other: 404 }
		}
	],
	'/my-zones': [
		{ path: '/my-zones', status: pages(200, 200, 403) },
		{ path: '/my-zones?/calendarRevoke', method: 'POST', status: pages(200, 200, 403) }
	],
	// public by its token: a forged one is unknown to everyone, signed in or not
	'/calendar/[token].ics': [
		{
			path: '/calendar/forged-token-forged-token-forged.ics',
			params: { token: 'forged-token-forged-token-forged' },
			status: { anon: 404, coordinator: 404, worker: 404, analyst: 404, other: 404 }
		}
	],
	'/today': [{ path: '/today', status: pages(200, 200, 403) }],
	'/audit': [{ path: '/audit', status: pages(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) }],
	'/audit/export': [
		{
			path: '/audit/export?lang=en',
			status: pages(200, 403, 403),
			check: (who, o) => {
				if (who === 'coordinator') expect(String(o.body)).toContain('user_id');
				if (who === 'other') assertNothingOfDemo(o);
			}
		}
	],
	'/settings': [{ path: '/settings', status: pages(200, 403, 403) }],
	'/reports': [{ path: '/reports', status: pages(200, 403, 200) }],
	'/reports/export': [
		{
			path: '/reports/export?format=csv&lang=en',
			status: pages(200, 403, 200),
			check: (who, o) => {
				if (who === 'coordinator') expect(String(o.body)).toContain('exact counts');
				if (who === 'analyst') expect(String(o.body)).toContain(`k = ${K}`);
				if (who === 'other') assertNothingOfDemo(o);
			}
		}
	],
	'/reports/trends': [{ path: '/reports/trends', status: pages(200, 403, 200) }],
	'/settings/vocabulary': [
		{ path: '/settings/vocabulary', status: pages(200, 403, 403) },
		// an empty label: refused with its field (400), never written; others never reach the action
		{ path: '/settings/vocabulary', method: 'POST', form: { kind: 'theme', intent: 'add', labelNl: '' }, status: pages(400, 403, 403) }
	],
	'/settings/areas': [{ path: '/settings/areas', status: pages(200, 403, 403) }],
	'/welcome': [{ path: '/welcome', status: pages(200, 403, 403) }],
	'/settings/rounds': [
		{ path: '/settings/rounds', status: pages(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) },
		{ path: '/settings/rounds?/settings', method: 'POST', form: {}, status: pages(400, 403, 403) }
	],
	'/import': [{ path: '/import', status: pages(200, 403, 403) }],
	'/log': [{ path: '/log', status: pages(200, 200, 403) }],
	'/signals': [
		{ path: '/signals', status: pages(200, 200, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) },
		// an empty form: reaching the action answers 400 (fields named), never 200
		{ path: '/signals?/create', method: 'POST', form: {}, status: pages(400, 400, 403) },
		// workers take steps too (the history and the audit log keep who): an unknown id is 404
		{ path: '/signals?/transition', method: 'POST', form: { id: '999999', action: 'handle' }, status: pages(404, 404, 403) }
	],
	'/api/meta': [
		{
			path: '/api/meta',
			status: api(200, 200, 200),
			check: (who, o) => {
				const b = o.body as { teams: unknown[]; org: { maxRes: number; k: number | null; name: string } };
				if (who === 'analyst') expect([b.teams, b.org.maxRes, b.org.k]).toEqual([[], 8, K]);
				if (who === 'worker') expect([b.org.maxRes, b.org.k]).toEqual([9, null]);
				if (who === 'other') assertNothingOfDemo(o);
			}
		}
	],
	'/api/hexes': [
		{
			path: '/api/hexes?res=8',
			status: api(200, 200, 200),
			check: (who, o) => {
				const b = o.body as { cells: string[] };
				if (who === 'analyst') assertPublished(o.body);
				if (who === 'other') expect(b.cells).toEqual([]);
				if (who === 'coordinator' || who === 'worker') expect(b.cells.length).toBeGreaterThan(10);
			}
		},
		{
			path: '/api/hexes?res=10',
			status: api(200, 403, 403),
			check: (who, o) => who !== 'anon' && o.status === 403 && expect(o.body).toMatchObject({ error: { param: 'res' } })
		},
		{
			path: '/api/hexes?res=8&teams=1',
			status: api(200, 200, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'teams' } })
		}
	],
	'/api/reports/coverage': [
		{
			path: '/api/reports/coverage',
			status: api(200, 403, 200),
			check: (who, o) => {
				if (o.status !== 200) return;
				const b = o.body as { published: unknown; current: { areas: Record<string, (number | null)[]>; total: Record<string, number | null> } };
				if (who === 'other') assertNothingOfDemo(o);
				if (who !== 'analyst') return expect(b.published).toBeNull();
				expect(b.published).toEqual({ k: K, rounding: 5 });
				for (const col of ['contacts', 'persons', 'referrals', 'signals']) {
					for (const v of [...b.current.areas[col]!, b.current.total[col]!])
						if (v !== null) expect(v === 0 || (v >= K && v % 5 === 0), `${col} ${v}`).toBe(true);
				}
			}
		},
		// analysts: one ended quarter only
		{
			path: '/api/reports/coverage?from=2026-01-01&to=2026-01-31',
			status: api(200, 403, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'from' } })
		}
	],
	'/api/underserved': [
		{
			path: '/api/underserved?res=8&limit=50',
			status: api(200, 200, 200),
			check: (who, o) => {
				const b = o.body as {
					cells: string[];
					top: { score: number; reasons: { kind: string; count?: number | null; contacts?: number | null; days?: number | null }[] }[];
					published: unknown;
				};
				if (who === 'other')
					expect(b.top.every((z) => z.score === 0 || z.reasons.every((r) => r.kind !== 'signals' && r.kind !== 'demand'))).toBe(true);
				if (who === 'coordinator') expect(b.top.length).toBe(50);
				if (who !== 'analyst') return;
				expect(b.published).toEqual({ k: K });
				for (const z of b.top) {
					for (const r of z.reasons) {
						for (const v of [r.count, r.contacts])
							if (v !== undefined && v !== null) expect(v === 0 || (v >= K && v % 5 === 0), `${r.kind} ${v}`).toBe(true);
						if (r.days !== undefined && r.days !== null) expect(r.days % 7).toBe(0);
					}
				}
			}
		},
		{
			path: '/api/underserved?res=9',
			status: api(200, 200, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'res' } })
		},
		{
			path: '/api/underserved?res=8&teams=1',
			status: api(200, 200, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'teams' } })
		}
	],
	'/api/hotspots': [
		{
			path: '/api/hotspots?res=8',
			status: api(200, 200, 200),
			check: (who, o) => {
				const b = o.body as { cells: string[]; classes: number[]; counts: { hot: number; cold: number }; published: unknown };
				if (who === 'other') expect([b.cells, b.counts]).toEqual([[], { hot: 0, cold: 0 }]);
				if (who === 'coordinator') expect(b.counts.hot).toBeGreaterThan(0);
				if (who === 'anon') return;
				expect(b.classes.length).toBe(b.cells.length);
				for (const c of b.classes) expect([3, 2, 1, -1, -2, -3]).toContain(c);
				expect([b.counts.hot, b.counts.cold]).toEqual([b.classes.filter((c) => c > 0).length, b.classes.filter((c) => c < 0).length]);
				// analysts: classes only, computed from published counts; no count column at all
				if (who === 'analyst') expect([b.published, 'contacts' in b]).toEqual([{ k: K }, false]);
				else expect(b.published).toBeNull();
			}
		},
		{
			path: '/api/hotspots?res=9',
			status: api(200, 200, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'res' } })
		},
		{
			path: '/api/hotspots?res=8&teams=1',
			status: api(200, 200, 403),
			check: (who, o) => who === 'analyst' && expect(o.body).toMatchObject({ error: { param: 'teams' } })
		}
	],
	'/api/services': [
		{
			path: '/api/services',
			status: api(200, 200, 200),
			check: (who, o) => who === 'other' && expect((o.body as { features: [] }).features).toEqual([])
		}
	],
	'/api/areas': [
		// the other organisation has no areas, so its district layer is unknown to it
		{ path: '/api/areas?layer=district', status: { ...api(200, 200, 200), other: 400 } }
	],
	'/api/reports/trend': [
		{
			path: '/api/reports/trend?by=group',
			status: api(200, 403, 200),
			check: (who, o) => {
				if (who === 'other') assertNothingOfDemo(o);
				if (who !== 'analyst' && who !== 'coordinator') return;
				const b = o.body as { series: { values: (number | null)[] }[]; totals: (number | null)[]; k?: number };
				if (who === 'coordinator') expect(b.totals.some((v) => v! > 0)).toBe(true);
				if (who !== 'analyst') return;
				expect(b.k).toBe(K);
				for (const v of [...b.series.flatMap((s) => s.values), ...b.totals])
					if (v !== null) expect(v === 0 || (v >= K && v % 5 === 0), String(v)).toBe(true);
			}
		},
		// months would set a quarter against its own months
		{ path: '/api/reports/trend?grain=month', status: api(200, 403, 403) }
	],
	'/api/imports/preview': [{ path: '/api/imports/preview', method: 'POST', raw: 'a;b\n1;2\n', status: api(200, 403, 403) }],
	'/api/imports/mappings': [
		{ path: '/api/imports/mappings?kind=contacts', status: api(200, 403, 403) },
		// the harness posts text/csv: reaching the handler shows as its 415 (JSON only)
		{ path: '/api/imports/mappings', method: 'POST', raw: '{}', status: api(415, 403, 403) }
	],
	'/api/imports/jobs': [{ path: '/api/imports/jobs', status: api(200, 403, 403), check: (who, o) => who === 'other' && assertNothingOfDemo(o) }],
	'/api/imports/contacts': [
		{
			path: `/api/imports/contacts?mode=dry-run&source=test&mapping=${encodeURIComponent(JSON.stringify({ occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' }))}`,
			method: 'POST',
			raw: 'Datum;Lat;Lon;Type\n01/03/2026 10:00;51,05;3,72;kort contact\n',
			status: api(200, 403, 403),
			check: (who, o) => {
				if (who !== 'coordinator') return;
				const lines = o.body as { type: string; counts?: { valid: number } }[];
				expect(lines.at(-1)).toMatchObject({ type: 'result', counts: { valid: 1 } });
			}
		}
	],
	// JSON only: a coordinator reaching the handler with CSV gets 415; the others never reach it
	'/api/vocabulary': [{ path: '/api/vocabulary', method: 'POST', raw: 'x', status: api(415, 403, 403) }],
	// JSON only: the harness posts CSV, so callers that reach the handler get 415
	'/api/contacts': [{ path: '/api/contacts', method: 'POST', raw: 'x', status: api(415, 415, 403) }],
	// analysts see signals as counts per area in the reports only
	'/api/signals': [
		{
			path: '/api/signals',
			status: api(200, 200, 403),
			check: (who, o) => {
				if (who === 'other') expect((o.body as { items: unknown[] }).items).toEqual([]);
				if (who === 'analyst') expect(JSON.stringify(o.body)).not.toContain('description');
			}
		},
		{ path: '/api/signals?status=nope', status: api(400, 400, 403) }
	],
	'/api/signals/points': [
		{
			path: '/api/signals/points',
			status: api(200, 200, 403),
			check: (who, o) => who === 'other' && expect((o.body as { points: unknown[] }).points).toEqual([])
		}
	],
	'/api/signals/[id]/transition': [
		// JSON only: the text body is refused before any signal is read
		{ path: '/api/signals/1/transition', method: 'POST', params: { id: '1' }, raw: 'x', status: api(415, 415, 403) },
		{ path: '/api/signals/abc/transition', method: 'POST', params: { id: 'abc' }, raw: 'x', status: api(404, 404, 403) }
	],
	...Object.fromEntries(
		['services', 'areas', 'area-indicators', 'signals'].map((kind) => [
			`/api/imports/${kind}`,
			// no mode: a coordinator reaches the handler and gets 400 naming it
			[{ path: `/api/imports/${kind}`, method: 'POST' as const, raw: 'x', status: api(400, 403, 403) }]
		])
	),
	'/api/rounds': [
		{
			path: '/api/rounds',
			status: api(200, 200, 403),
			check: (who, o) => {
				const b = o.body as { rounds: { title: string; workers: string[] }[] };
				// the demo worker walks today's round; the coordinator sees it too
				if (who === 'worker' || who === 'coordinator') expect(b.rounds.map((r) => r.title)).toContain('Avondronde Stationsbuurt');
				if (who === 'worker') for (const r of b.rounds) expect(r.workers).toContain('Demo Werker');
				if (who === 'other') expect(b.rounds).toEqual([]);
			}
		}
	],
	'/api/my-zones': [
		{
			path: '/api/my-zones',
			status: api(200, 200, 403),
			check: (who, o) => {
				if (who === 'worker') expect(JSON.stringify(o.body)).toContain('Stationsbuurt-Noord');
				// the rounds the signed-in user walks: the demo worker's, nobody else's
				if (who === 'worker') expect((o.body as { rounds: { title: string }[] }).rounds.map((r) => r.title)).toContain(ROUND_TITLE);
				if (who === 'other') {
					assertNothingOfDemo(o);
					expect((o.body as { rounds: unknown[] }).rounds).toEqual([]);
				}
			}
		}
	]
};

let t: TestDatabase;
const tokens: Partial<Record<Who, string>> = {};

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const report = await seedDemo(t.sql, { contacts: 4000 });
	const [org] = await t.sql`select name from organisation where org_id = ${report.orgId}`;
	demoOrgName = org!.name as string;
	// the demo accounts (the demo worker's colleagues cannot sign in)
	const users = await t.sql`select user_id, role from app_user where org_id = ${report.orgId} and email in ${t.sql(demoEmails)}`;
	for (const u of users) tokens[u.role as Who] = await createSession(t.sql, { orgId: report.orgId, userId: u.user_id as number });
	const duo = users.filter((u) => u.role !== 'analyst').map((u) => u.user_id as number);
	const round = { plannedOn: todayInBrussels(), teamId: null, budgetMinutes: 120, workerIds: duo };
	rounds.doomed = await createRound(t.sql, report.orgId, duo[0]!, { ...round, title: 'Matrix-ronde te schrappen' });
	rounds.kept = await createRound(t.sql, report.orgId, duo[0]!, { ...round, title: ROUND_TITLE });
	const other = await createOrganisation(t.sql, { slug: 'elders', name: 'Elders', bbox: [4.3, 50.8, 4.5, 50.9] });
	const otherId = await createUser(t.sql, {
		orgId: other.orgId,
		email: 'coord@elders.example',
		name: 'Elders',
		role: 'coordinator',
		password: 'elders password 1'
	});
	tokens.other = await createSession(t.sql, { orgId: other.orgId, userId: otherId });
});
afterAll(() => t?.cleanup());

describe(dbTitle('route access matrix'), () => {
	it('has an entry for every route on disk, and the access table names only real routes', () => {
		const onDisk = discoverRoutes();
		expect(
			onDisk.filter((r) => !(r in MATRIX)),
			'routes without a matrix entry'
		).toEqual([]);
		expect(
			onDisk.filter((r) => !(r in ROUTE_ACCESS)),
			'routes without an access rule'
		).toEqual([]);
		expect(
			Object.keys(ROUTE_ACCESS).filter((r) => !onDisk.includes(r)),
			'access rules for missing routes'
		).toEqual([]);
	});

	for (const [routeId, cases] of Object.entries(MATRIX)) {
		for (const c of cases) {
			it(`${c.method ?? 'GET'} ${c.path}`, async () => {
				for (const who of WHO) {
					// logout ends the session it is given, so give it a throwaway one
					const token = routeId === '/logout' && who !== 'anon' ? await freshToken(who) : tokens[who];
					const form = typeof c.form === 'function' ? c.form(who) : c.form;
					const o = await callRoute(t.sql, routeId, c.path, { method: c.method, form, raw: c.raw, params: c.params, token });
					expect(o.status, `${who}: ${JSON.stringify(o.body)?.slice(0, 200)}`).toBe(c.status[who]);
					if (who === 'anon' && o.status === 303) expect(o.location).toMatch(/^\/login/);
					// every API refusal carries a stable code (the guard's 401/403 included)
					if (routeId.startsWith('/api/') && o.status >= 400)
						expect((o.body as { error?: { code?: unknown } })?.error?.code, who).toEqual(expect.any(String));
					c.check?.(who, o);
				}
			});
		}
	}
});

async function freshToken(who: Who): Promise<string> {
	const [s] = await t.sql`
		select s.org_id, s.user_id from user_session s where s.token_hash = encode(sha256(convert_to(${tokens[who]!}, 'UTF8')), 'hex')`;
	return createSession(t.sql, { orgId: s!.org_id as number, userId: s!.user_id as number });
}

describe(dbTitle('suppression through the API'), () => {
	// The questions analysts may ask (analyst-query.ts): an ended quarter, all contacts or one
	// contact type or one target group, their policy resolution 8.
	const quarters = endedQuarters(todayInBrussels(), 8);
	const question = fc.record({
		quarter: fc.constantFrom(...quarters),
		subset: fc.oneof(
			fc.constant(''),
			fc.integer({ min: 1, max: 6 }).map((id) => `&types=${id}`),
			fc.integer({ min: 1, max: 8 }).map((id) => `&groups=${id}`)
		)
	});

	it('no analyst response over random quarters and filters holds a count from 1 to k-1', async () => {
		await fc.assert(
			fc.asyncProperty(question, async ({ quarter, subset }) => {
				const qs = `res=8&from=${quarter.from}&to=${quarter.to}${subset}`;
				const analyst = await callRoute(t.sql, '/api/hexes', '/api/hexes?' + qs, { token: tokens.analyst });
				const exact = await callRoute(t.sql, '/api/hexes', '/api/hexes?' + qs, { token: tokens.coordinator });
				expect(analyst.status).toBe(200);
				assertPublished(analyst.body);
				// totals are published from the true totals and their own records' keys (summed here
				// from contact_moment, not the rollup), not summed from rounded cells: the cell-key
				// value, or one class above it when the totals guard raised it
				const e = exact.body as { totals: { contacts: number } };
				const [keys] = await t.sql`
					select coalesce(sum(record_key::bigint), 0)::text as s from contact_moment c join organisation o using (org_id)
					where o.org_id = (select org_id from app_user where user_id = (select user_id from user_session
						where token_hash = encode(sha256(convert_to(${tokens.analyst!}, 'UTF8')), 'hex')))
						and occurred_at >= (${quarter.from}::date::timestamp at time zone 'Europe/Brussels')
						and occurred_at < ((${quarter.to}::date + 1)::timestamp at time zone 'Europe/Brussels')
						${subset.includes('types=') ? t.sql`and contact_type = ${Number(subset.split('=')[1])}` : t.sql``}
						${subset.includes('groups=') ? t.sql`and ${Number(subset.split('=')[1])} = any(target_groups)` : t.sql``}`;
				const p = publishValue(e.totals.contacts, cellKey(BigInt(keys!.s as string)), K);
				const raised = p === null ? lowestPublished(K) : p === 0 ? 0 : p + ROUNDING_BASE;
				expect([p, raised]).toContain((analyst.body as { totals: { contacts: number | null } }).totals.contacts);
			}),
			{ numRuns: 25 }
		);
	});

	it('no analyst underserved answer over random quarters and filters holds a count from 1 to k-1', async () => {
		await fc.assert(
			fc.asyncProperty(question, async ({ quarter, subset }) => {
				const qs = `res=8&from=${quarter.from}&to=${quarter.to}${subset}&limit=100`;
				const o = await callRoute(t.sql, '/api/underserved', '/api/underserved?' + qs, { token: tokens.analyst });
				expect(o.status).toBe(200);
				const body = o.body as { top: { reasons: { kind: string; count?: number | null; contacts?: number | null; days?: number | null }[] }[] };
				for (const z of body.top) {
					for (const r of z.reasons) {
						for (const v of [r.count, r.contacts])
							if (v !== undefined && v !== null) expect(v === 0 || (v >= K && v % 5 === 0), `${r.kind} ${v}`).toBe(true);
						if (r.days !== undefined && r.days !== null) expect(r.days % 7).toBe(0);
					}
				}
			}),
			{ numRuns: 15 }
		);
	});

	it('refuses analysts the overlapping questions that let published ranges be solved for small counts', async () => {
		// A privacy review recovered exact daily counts of 1 to 4 from every window of 20 to 30 days.
		const last = quarters[0]!;
		const day = fc.integer({ min: 1, max: 700 });
		await fc.assert(
			fc.asyncProperty(day, day, fc.constantFrom('/api/hexes', '/api/underserved', '/api/hotspots'), async (a, b, route) => {
				const [lo, hi] = a < b ? [a, b] : [b, a];
				const from = addDays(todayInBrussels(), -hi);
				const to = addDays(todayInBrussels(), -lo);
				fc.pre(wholeQuarter(from, to) === null);
				const o = await callRoute(t.sql, route, `${route}?res=8&from=${from}&to=${to}`, { token: tokens.analyst });
				expect(o.status).toBe(403);
				expect((o.body as { error: { param: string } }).error.param).toMatch(/^(from|to)$/);
			}),
			{ numRuns: 15 }
		);
		const refused = async (qs: string) => {
			const o = await callRoute(t.sql, '/api/hexes', `/api/hexes?from=${last.from}&to=${last.to}&${qs}`, { token: tokens.analyst });
			return [o.status, (o.body as { error?: { param: string } }).error?.param];
		};
		expect(await refused('res=7')).toEqual([403, 'res']);
		expect(await refused('res=8&types=1,2')).toEqual([403, 'types']);
		expect(await refused('res=8&types=1&groups=2')).toEqual([403, 'groups']);
		expect(await refused('res=8&bbox=3.6,51,3.8,51.1')).toEqual([403, 'bbox']);
		const open = quarterOf(todayInBrussels());
		const o = await callRoute(t.sql, '/api/hexes', `/api/hexes?res=8&from=${open.from}&to=${open.to}`, { token: tokens.analyst });
		expect([o.status, (o.body as { error?: { param: string } }).error?.param]).toEqual([403, 'to']);
		// without a period an analyst gets their last ended quarter
		const d = await callRoute(t.sql, '/api/hexes', '/api/hexes?res=8', { token: tokens.analyst });
		expect(d.status).toBe(200);
		expect(d.body).toMatchObject({ from: last.from, to: last.to });
		// coordinators keep any period
		const c = await callRoute(t.sql, '/api/hexes', '/api/hexes?res=7&from=2026-07-02&to=2026-08-15&types=1,2', { token: tokens.coordinator });
		expect(c.status).toBe(200);
	});
});
