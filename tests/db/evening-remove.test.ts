// Removing a saved round from the evening page (PGlite here; PostgreSQL 15 with TEST_DATABASE_URL):
// through the page's ?/remove action, in one transaction, audited as round.remove; refused with
// 409 for a past evening and for a round with contacts linked to it (naming how many), and then
// nothing is removed; a round of another date is 404 there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { getOrganisation, type Organisation } from '../../src/lib/server/organisations';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createUser } from '../../src/lib/server/auth/users';
import { todayInBrussels } from '../../src/lib/server/clock';
import { UserInputError } from '../../src/lib/domain/errors';
import { addDays } from '../../src/lib/domain/calendar';
import { eveningRounds, planningZonesWithArea, removeEveningRound, saveEvening } from '../../src/lib/server/evening';
import { startPlaces } from '../../src/lib/server/round-settings';

let t: TestDatabase;
let org: Organisation;
let coordinator: number;
let token: string;
let workers: number[];
// past the demo's planned rounds: the evening is the tests' own
const day = addDays(todayInBrussels(), 61);

beforeAll(async () => {
	t = await openTestDatabase();
	const report = await seedDemo(t.sql, { contacts: 1500 });
	org = (await getOrganisation(t.sql, report.orgId))!;
	useDatabase(t);
	for (const name of ['Evi Claes', 'Jonas Wouters'])
		await createUser(t.sql, { orgId: org.orgId, email: `${name.split(' ')[0]!.toLowerCase()}@remove.example`, name, role: 'worker' });
	const users = await t.sql`
		select user_id, role from app_user where org_id = ${org.orgId} and active and role in ('worker', 'coordinator') order by user_id`;
	coordinator = users.find((u) => u.role === 'coordinator')!.user_id as number;
	workers = users.map((u) => u.user_id as number);
	token = await createSession(t.sql, { orgId: org.orgId, userId: coordinator });
});
afterAll(() => t?.cleanup());

/** Saves an evening of `n` rounds on `date`, each with a start and a zone; gives their ids. */
async function evening(date: string, n: number, today = todayInBrussels()): Promise<number[]> {
	const [{ zones }, starts] = await Promise.all([planningZonesWithArea(t.sql, org), startPlaces(t.sql, org.orgId)]);
	const rounds = Array.from({ length: n }, (_, i) => ({
		roundId: null,
		title: `Weg ${i + 1}`,
		teamId: null,
		budgetMinutes: 600,
		workerIds: [workers[2 * i]!, workers[2 * i + 1]!],
		travelMode: 'cycling' as const,
		start: { cell: starts[0]!.cell },
		limit: { kind: 'none' as const },
		stops: [{ cell: zones[i]!.cell, dwellMinutes: 10 }]
	}));
	return saveEvening(t.sql, org, coordinator, { plannedOn: date, rounds }, today);
}

const remove = (date: string, roundId: number | string) =>
	callRoute(t.sql, '/rounds/evening/[date]', `/rounds/evening/${date}?/remove`, {
		method: 'POST',
		token,
		params: { date },
		form: { roundId: String(roundId) }
	});

const exists = async (roundId: number) =>
	(await t.sql`select 1 from street_round where org_id = ${org.orgId} and round_id = ${roundId}`).length === 1;

const removals = async (roundId: number) =>
	(
		await t.sql`
			select detail from audit_log where org_id = ${org.orgId} and action = 'round.remove' and (detail->>'roundId')::int = ${roundId}`
	).map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>);

describe(dbTitle('removing a saved round of an evening'), () => {
	it('removes it with its workers and route, in one go, and audits it', async () => {
		const [a, b, c] = await evening(day, 3);
		const res = await remove(day, b!);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ removed: b });
		expect(await exists(b!)).toBe(false);
		for (const table of ['street_round_worker', 'street_round_stop'])
			expect((await t.sql`select count(*)::int as n from ${t.sql(table)} where org_id = ${org.orgId} and round_id = ${b!}`)[0]!.n).toBe(0);
		expect((await eveningRounds(t.sql, org.orgId, day)).map((r) => r.roundId)).toEqual([a, c]);
		expect(await removals(b!)).toEqual([{ roundId: b, evening: day, stops: 1 }]);
		// the page that still shows it: gone now, 404, nothing else touched
		const again = await remove(day, b!);
		expect(again.status).toBe(404);
		expect(again.body).toMatchObject({ code: 'roundUnknown' });
		expect((await eveningRounds(t.sql, org.orgId, day)).map((r) => r.roundId)).toEqual([a, c]);
	});

	it('is refused (404) for a round of another date, and (400) for no round id', async () => {
		const [a] = (await eveningRounds(t.sql, org.orgId, day)).map((r) => r.roundId);
		const other = addDays(day, 1);
		expect((await remove(other, a!)).status).toBe(404);
		expect(await exists(a!)).toBe(true);
		expect((await remove(day, 'x')).status).toBe(400);
		expect((await remove(day, '0')).status).toBe(400);
	});

	it('refuses with 409 a round with contacts linked to it, naming how many, and keeps it', async () => {
		const [a] = (await eveningRounds(t.sql, org.orgId, day)).map((r) => r.roundId);
		await t.sql`
			update contact_moment set round_id = ${a!}
			where org_id = ${org.orgId} and contact_id in (select contact_id from contact_moment where org_id = ${org.orgId} order by contact_id limit 3)`;
		const res = await remove(day, a!);
		expect(res.status).toBe(409);
		expect(res.body).toMatchObject({ code: 'roundHasContacts', field: 'roundId', params: { n: 3 } });
		expect(await exists(a!)).toBe(true);
		expect((await t.sql`select count(*)::int as n from contact_moment where org_id = ${org.orgId} and round_id = ${a!}`)[0]!.n).toBe(3);
		expect(await removals(a!)).toEqual([]);
	});

	it('refuses with 409 a round of an evening that is over, and keeps it', async () => {
		// planned yesterday, when it was still to come
		const yesterday = addDays(todayInBrussels(), -1);
		const [old] = await evening(yesterday, 2, addDays(todayInBrussels(), -2));
		const res = await remove(yesterday, old!);
		expect(res.status).toBe(409);
		expect(res.body).toMatchObject({ code: 'roundOver' });
		expect(await exists(old!)).toBe(true);
		let refused: unknown = null;
		try {
			await removeEveningRound(t.sql, org, coordinator, yesterday, old!, todayInBrussels());
		} catch (e) {
			refused = e;
		}
		expect(refused).toBeInstanceOf(UserInputError);
		expect((refused as UserInputError).code).toBe('roundOver');
		expect(await exists(old!)).toBe(true);
	});

	it('is for coordinators only', async () => {
		const [, c] = (await eveningRounds(t.sql, org.orgId, day)).map((r) => r.roundId);
		const worker = await createSession(t.sql, { orgId: org.orgId, userId: workers.find((w) => w !== coordinator)! });
		const res = await callRoute(t.sql, '/rounds/evening/[date]', `/rounds/evening/${day}?/remove`, {
			method: 'POST',
			token: worker,
			params: { date: day },
			form: { roundId: String(c) }
		});
		expect(res.status).toBe(403);
		expect(await exists(c!)).toBe(true);
	});
});
