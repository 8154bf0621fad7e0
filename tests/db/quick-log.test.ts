// POST /api/contacts against the test database: created, idempotent resend, field errors,
// organisation checks, the monthly rollup, and the route table keeping analysts out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToParent, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession, type SessionUser } from '../../src/lib/server/auth/sessions';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { POST } from '../../src/routes/api/contacts/+server';
import { createRound, deleteRound, listRounds } from '../../src/lib/server/rounds';
import { todayInBrussels } from '../../src/lib/server/clock';
import { addDays } from '../../src/lib/domain/calendar';
import { mergeVocabularyEntries } from '../../src/lib/server/vocabulary';

let t: TestDatabase;
let worker: SessionUser;
let orgId: number;
let serviceId: number;
let otherServiceId: number;
const tokens: Record<string, string> = {};

const CELL = latLngToCell(51.0543, 3.7174, 10);
let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;

function body(over: Record<string, unknown> = {}) {
	return {
		externalId: uuid(),
		occurredAt: new Date(Date.now() - 60_000).toISOString(),
		cell: CELL,
		contactType: 2,
		targetGroups: [1, 4],
		themes: [2],
		persons: 3,
		referral: false,
		referralServiceId: null,
		...over
	};
}

async function post(payload: unknown, user: SessionUser = worker, contentType = 'application/json') {
	const request = new Request('http://localhost/api/contacts', {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: typeof payload === 'string' ? payload : JSON.stringify(payload)
	});
	const res = await POST({ request, locals: { user } } as never);
	return { status: res.status, body: (await res.json()) as { status?: string; error?: { param: string; message: string } } };
}

async function rowsWith(externalId: string) {
	return t.sql`
		select org_id, to_hex(cell) as cell, contact_type, target_groups, themes, persons, referral,
			referral_service_id, source, is_demo, occurred_at
		from contact_moment where external_id = ${externalId}`;
}

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const org = await createOrganisation(t.sql, { slug: 'ql', name: 'Quick log test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	const other = await createOrganisation(t.sql, { slug: 'other', name: 'Other', bbox: [4.3, 50.8, 4.5, 50.9] });
	const svc = async (o: number, ext: string) => {
		const [row] = await t.sql`
			insert into service_location (org_id, external_id, category, name, cell)
			values (${o}, ${ext}, 1, ${'Service ' + ext}, ${cellToBigInt(latLngToCell(51.05, 3.72, 12)).toString()}::bigint)
			returning service_id`;
		return row!.service_id as number;
	};
	serviceId = await svc(orgId, 'near');
	otherServiceId = await svc(other.orgId, 'elsewhere');
	for (const role of ['worker', 'coordinator', 'analyst'] as const) {
		const userId = await createUser(t.sql, { orgId, email: `${role}@ql.example`, name: role, role, password: 'long enough password 1' });
		tokens[role] = await createSession(t.sql, { orgId, userId });
		if (role === 'worker') worker = { orgId, userId, email: `${role}@ql.example`, name: role, role };
	}
});
afterAll(() => t?.cleanup());

describe(dbTitle('POST /api/contacts'), () => {
	it('stores the contact with its cell as bigint, source quicklog, and answers 201 created', async () => {
		const b = body({ referral: true, referralServiceId: serviceId });
		const res = await post(b);
		expect(res).toEqual({ status: 201, body: { status: 'created' } });
		const rows = await rowsWith(b.externalId);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			org_id: orgId,
			cell: CELL,
			contact_type: 2,
			target_groups: [1, 4],
			themes: [2],
			persons: 3,
			referral: true,
			referral_service_id: serviceId,
			source: 'quicklog',
			is_demo: false
		});
		expect((rows[0]!.occurred_at as Date).toISOString()).toBe(new Date(b.occurredAt).toISOString());
	});

	it('keeps who logged the contact, also for an entry a phone queued offline weeks ago', async () => {
		const b = body({ occurredAt: new Date(Date.now() - 6.9 * 86_400_000).toISOString() });
		expect((await post(b)).status).toBe(201);
		const [row] = await t.sql`select logged_by from contact_moment where org_id = ${orgId} and external_id = ${b.externalId}`;
		expect(row!.logged_by).toBe(worker.userId);
		// The page sets at most 7 days back by hand, but a queued entry arrives when the phone is
		// back online, with its true time: the server takes it within retention.
		const queued = body({ occurredAt: new Date(Date.now() - 20 * 86_400_000).toISOString() });
		expect((await post(queued)).status).toBe(201);
		const [late] = await t.sql`select logged_by from contact_moment where org_id = ${orgId} and external_id = ${queued.externalId}`;
		expect(late!.logged_by).toBe(worker.userId);
	});

	it('a resend of the same uuid answers 200 duplicate and leaves one row, unchanged', async () => {
		const b = body();
		expect((await post(b)).status).toBe(201);
		expect(await post(b)).toEqual({ status: 200, body: { status: 'duplicate' } });
		// even with other fields (a stale copy): the first one stands
		expect(await post({ ...b, persons: 9, externalId: b.externalId.toUpperCase() })).toEqual({ status: 200, body: { status: 'duplicate' } });
		const rows = await rowsWith(b.externalId);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.persons).toBe(3);
	});

	it('concurrent resends still make one row', async () => {
		const b = body();
		const answers = await Promise.all([post(b), post(b), post(b)]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
		expect(await rowsWith(b.externalId)).toHaveLength(1);
	});

	it('accepts empty target groups and themes', async () => {
		const b = body({ targetGroups: [], themes: [] });
		expect((await post(b)).status).toBe(201);
		expect((await rowsWith(b.externalId))[0]).toMatchObject({ target_groups: [], themes: [] });
	});

	it.each([
		['cell', { cell: 'zz' }],
		['cell', { cell: cellToParent(CELL, 9) }], // not the storage resolution
		['cell', { cell: latLngToCell(50.85, 4.35, 10) }], // outside the organisation's bbox
		['contactType', { contactType: 99 }], // no such vocabulary entry
		['targetGroups', { targetGroups: [1, 77] }],
		['themes', { themes: [120] }],
		['referralServiceId', { referral: true, referralServiceId: 999999 }],
		['referralServiceId', { referral: true, referralServiceId: -1 }],
		['occurredAt', { occurredAt: new Date(Date.now() + 11 * 60_000).toISOString() }], // future
		['occurredAt', { occurredAt: new Date(Date.now() - 3 * 366 * 86_400_000).toISOString() }], // past retention (24 months)
		['persons', { persons: 0 }],
		['persons', { persons: 51 }],
		['externalId', { externalId: 'abc' }],
		['lat', { lat: 51.0543 }]
	])('400 naming %s for %j, and nothing stored', async (param, over) => {
		const b = body(over);
		const res = await post(b);
		expect(res.status).toBe(400);
		expect(res.body.error?.param).toBe(param);
		expect(typeof res.body.error?.message).toBe('string');
		if (typeof b.externalId === 'string') expect(await rowsWith(b.externalId.toLowerCase())).toHaveLength(0);
	});

	it("refuses another organisation's service", async () => {
		const res = await post(body({ referral: true, referralServiceId: otherServiceId }));
		expect(res.status).toBe(400);
		expect(res.body.error?.param).toBe('referralServiceId');
	});

	describe('link to a street round', () => {
		let mine: number, notMine: number, lastWeek: number, otherOrgRound: number, coordinator: SessionUser;
		const today = todayInBrussels();
		beforeAll(async () => {
			const [w] = await t.sql`select user_id from app_user where org_id = ${orgId} and role = 'worker'`;
			const colleague = await createUser(t.sql, {
				orgId,
				email: 'colleague@ql.example',
				name: 'Colleague',
				role: 'worker',
				password: 'long enough password 1'
			});
			const third = await createUser(t.sql, { orgId, email: 'third@ql.example', name: 'Third', role: 'worker', password: 'long enough password 1' });
			const [c] = await t.sql`select user_id from app_user where org_id = ${orgId} and role = 'coordinator'`;
			coordinator = { orgId, userId: c!.user_id as number, email: 'coordinator@ql.example', name: 'c', role: 'coordinator' };
			const plan = (on: string, workerIds: number[]) =>
				createRound(t.sql, orgId, coordinator.userId, { plannedOn: on, title: 'Avondronde', teamId: null, budgetMinutes: 120, workerIds });
			mine = await plan(today, [w!.user_id as number, colleague]);
			notMine = await plan(today, [colleague, third]);
			lastWeek = await plan(addDays(today, -7), [w!.user_id as number, colleague]);
			const [o] = await t.sql`select org_id from organisation where slug = 'other'`;
			const [r] = await t.sql`insert into street_round (org_id, planned_on, title) values (${o!.org_id}, ${today}, 'Elders') returning round_id`;
			otherOrgRound = r!.round_id as number;
		});

		it("stores the worker's own round of today", async () => {
			const b = body({ roundId: mine });
			expect((await post(b)).status).toBe(201);
			const [row] = await t.sql`select round_id from contact_moment where external_id = ${b.externalId}`;
			expect(row!.round_id).toBe(mine);
			const [listed] = (await listRounds(t.sql, orgId, { from: today, to: today })).filter((r) => r.roundId === mine);
			expect(listed!.contacts).toBe(1);
		});

		it.each([
			['a round the worker does not walk', () => notMine],
			['a round of last week (contact made today)', () => lastWeek],
			["another organisation's round", () => otherOrgRound],
			['a round that does not exist', () => 999_999]
		])('400 naming roundId for %s, and nothing stored', async (_, id) => {
			const b = body({ roundId: id() });
			const res = await post(b);
			expect(res.status).toBe(400);
			expect(res.body.error?.param).toBe('roundId');
			expect(await rowsWith(b.externalId)).toHaveLength(0);
		});

		it("a coordinator may link to any of the organisation's rounds of the day", async () => {
			expect((await post(body({ roundId: notMine }), coordinator)).status).toBe(201);
		});

		it('deleting the round keeps its contacts, unlinked', async () => {
			// within the quick log's 7 days, and around the round's day
			const b = body({ roundId: lastWeek, occurredAt: new Date(Date.now() - 6.5 * 86_400_000).toISOString() });
			expect((await post(b)).status).toBe(201);
			await deleteRound(t.sql, orgId, coordinator.userId, lastWeek);
			const [row] = await t.sql`select round_id from contact_moment where external_id = ${b.externalId}`;
			expect(row).toBeDefined();
			expect(row!.round_id).toBeNull();
		});
	});

	it('400 for a body that is not JSON, 415 for a form post', async () => {
		expect((await post('{not json')).body.error?.param).toBe('body');
		expect((await post('{not json')).status).toBe(400);
		const form = await post('externalId=x', worker, 'application/x-www-form-urlencoded');
		expect(form.status).toBe(415);
		expect(form.body.error?.param).toBe('content-type');
	});

	it('keeps the monthly rollup in step', async () => {
		const at = new Date(Date.now() - 3_600_000);
		const cell = latLngToCell(51.03, 3.7, 10);
		const rollup = async () => {
			const [r] = await t.sql`
				select coalesce(sum(contacts), 0)::int as contacts, coalesce(sum(persons), 0)::int as persons,
					coalesce(sum(referrals), 0)::int as referrals
				from contact_rollup_month
				where org_id = ${orgId} and cell = ${cellToBigInt(cell).toString()}::bigint
					and month = contact_month(${at}::timestamptz) and contact_type = 5`;
			return r as { contacts: number; persons: number; referrals: number };
		};
		expect(await rollup()).toEqual({ contacts: 0, persons: 0, referrals: 0 });
		const b = body({ cell, occurredAt: at.toISOString(), contactType: 5, persons: 4, referral: true });
		expect((await post(b)).status).toBe(201);
		expect(await rollup()).toEqual({ contacts: 1, persons: 4, referrals: 1 });
		expect((await post(b)).status).toBe(200); // a duplicate adds nothing
		expect(await rollup()).toEqual({ contacts: 1, persons: 4, referrals: 1 });
	});

	it('through the route table: analysts get 403, anonymous 401, workers and coordinators reach the handler', async () => {
		const call = (token?: string) => callRoute(t.sql, '/api/contacts', '/api/contacts', { method: 'POST', token });
		expect((await call(tokens.analyst)).status).toBe(403);
		expect((await call()).status).toBe(401);
		// the harness posts no JSON body: reaching the handler shows as its 415
		expect((await call(tokens.worker)).status).toBe(415);
		expect((await call(tokens.coordinator)).status).toBe(415);
	});
	it('stores a referral target given by its code; a yes/no referral keeps a null target', async () => {
		const withTarget = body({ referral: true, referralTarget: 'caw' });
		expect((await post(withTarget)).status).toBe(201);
		const plain = body({ referral: true });
		expect((await post(plain)).status).toBe(201);
		const rows = await t.sql`
			select external_id, referral, referral_target from contact_moment
			where external_id in (${withTarget.externalId}, ${plain.externalId}) order by external_id`;
		expect(rows.map((r) => [r.referral, r.referral_target])).toEqual([
			[true, 3],
			[true, null]
		]);
	});

	it('refuses an unknown referral target, and a target without a referral, naming the field', async () => {
		const unknown = await post(body({ referral: true, referralTarget: 'nergens' }));
		expect(unknown.status).toBe(400);
		expect(unknown.body.error).toMatchObject({ code: 'referralTargetUnknown', param: 'referralTarget' });
		const without = await post(body({ referral: false, referralTarget: 'caw' }));
		expect(without.body.error).toMatchObject({ code: 'referralWithoutReferral', param: 'referralTarget' });
	});

	it('stores a contact queued offline that names a merged entry under the entry it was merged into', async () => {
		await mergeVocabularyEntries(t.sql, orgId, { userId: null }, 'target_group', 8, 7);
		const queued = body({ targetGroups: [8, 7], contactType: 2 });
		expect((await post(queued)).status).toBe(201);
		const [row] = await rowsWith(queued.externalId);
		expect(row!.target_groups).toEqual([7]);
	});
});
