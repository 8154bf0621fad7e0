// Street rounds against the test database: planning one (and the field each refusal names),
// listing a worker's own rounds, and deleting a round without losing the contacts logged on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { UserInputError } from '../../src/lib/domain/errors';
import { createRound, deleteRound, listRounds } from '../../src/lib/server/rounds';
import { cellToBigInt } from '../../src/lib/domain/cells';

let t: TestDatabase;
let orgId: number;
let coordinator: number;
let anna: number;
let bram: number;
let chris: number;
let analyst: number;
let stranger: number;

const DAY = '2026-03-10';

function round(over: Record<string, unknown> = {}) {
	return { plannedOn: DAY, title: 'Stationsbuurt avond', teamId: null, budgetMinutes: 120, workerIds: [anna, bram], ...over };
}

/** The field a refused round names, or null when it was planned. */
async function refusedField(input: unknown): Promise<string | null> {
	try {
		await createRound(t.sql, orgId, coordinator, input);
		return null;
	} catch (e) {
		if (e instanceof UserInputError) return e.field;
		throw e;
	}
}

beforeAll(async () => {
	t = await openTestDatabase();
	const org = await createOrganisation(t.sql, { slug: 'rounds', name: 'Rounds test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	const user = (o: number, email: string, name: string, role: 'coordinator' | 'worker' | 'analyst') =>
		createUser(t.sql, { orgId: o, email, name, role, password: 'long enough password 1' });
	coordinator = await user(orgId, 'coord@rounds.example', 'Coördinator', 'coordinator');
	anna = await user(orgId, 'anna@rounds.example', 'Anna', 'worker');
	bram = await user(orgId, 'bram@rounds.example', 'Bram', 'worker');
	chris = await user(orgId, 'chris@rounds.example', 'Chris', 'worker');
	analyst = await user(orgId, 'ana@rounds.example', 'Analist', 'analyst');
	const other = await createOrganisation(t.sql, { slug: 'elders', name: 'Elders', bbox: [4.3, 50.8, 4.5, 50.9] });
	stranger = await user(other.orgId, 'worker@elders.example', 'Elders', 'worker');
	await t.sql`insert into team (org_id, team_id, name) values (${orgId}, 1, 'Team Noord'), (${other.orgId}, 2, 'Team Elders')`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('street rounds'), () => {
	it('plans a round with its duo and writes an audit entry', async () => {
		const id = await createRound(t.sql, orgId, coordinator, round({ teamId: 1, budgetMinutes: 90, title: '  Stationsbuurt avond  ' }));
		const [r] = await t.sql`
			select to_char(planned_on, 'YYYY-MM-DD') as planned_on, title, team_id, budget_minutes, created_by
			from street_round where org_id = ${orgId} and round_id = ${id}`;
		expect(r).toEqual({ planned_on: DAY, title: 'Stationsbuurt avond', team_id: 1, budget_minutes: 90, created_by: coordinator });
		const workers = await t.sql`select user_id from street_round_worker where org_id = ${orgId} and round_id = ${id} order by user_id`;
		expect(workers.map((w) => w.user_id)).toEqual([anna, bram].sort((a, b) => a - b));
		const [a] = await t.sql`select action, user_id, detail from audit_log where org_id = ${orgId} and action = 'round.plan'`;
		expect(a).toMatchObject({ action: 'round.plan', user_id: coordinator, detail: { roundId: id, workerIds: [anna, bram] } });
		// a coordinator may walk along, with two workers at most three
		expect(await refusedField(round({ workerIds: [coordinator, anna, bram] }))).toBeNull();
	});

	it('names the field of a refused round', async () => {
		expect(await refusedField(round({ workerIds: [anna] }))).toBe('workerIds');
		expect(await refusedField(round({ workerIds: [anna, bram, chris, coordinator] }))).toBe('workerIds');
		expect(await refusedField(round({ workerIds: [anna, anna] }))).toBe('workerIds');
		// a worker of another organisation, an analyst, an unknown user
		expect(await refusedField(round({ workerIds: [anna, stranger] }))).toBe('workerIds');
		expect(await refusedField(round({ workerIds: [anna, analyst] }))).toBe('workerIds');
		expect(await refusedField(round({ workerIds: [anna, 999_999] }))).toBe('workerIds');
		// a team that does not exist, or is another organisation's
		expect(await refusedField(round({ teamId: 7 }))).toBe('teamId');
		expect(await refusedField(round({ teamId: 2 }))).toBe('teamId');
		expect(await refusedField(round({ title: '   ' }))).toBe('title');
		expect(await refusedField(round({ title: 'x'.repeat(121) }))).toBe('title');
		expect(await refusedField(round({ plannedOn: '10/03/2026' }))).toBe('plannedOn');
		expect(await refusedField(round({ plannedOn: '2026-02-30' }))).toBe('plannedOn');
		expect(await refusedField(round({ budgetMinutes: 10 }))).toBe('budgetMinutes');
		expect(await refusedField(round({ budgetMinutes: 601 }))).toBe('budgetMinutes');
		expect(await refusedField(round({ budgetMinutes: Number.NaN }))).toBe('budgetMinutes');
		expect(await refusedField(round({ startTime: '24:00' }))).toBe('startTime');
		expect(await refusedField(round({ startTime: '7:30' }))).toBe('startTime');
	});

	it('gives each refused round the code the page translates, with its values', async () => {
		const refusal = (over: Record<string, unknown>) =>
			createRound(t.sql, orgId, coordinator, round(over)).then(
				() => null,
				(e: UserInputError) => ({ code: e.code, values: e.values })
			);
		expect(await refusal({ plannedOn: '2026-02-30' })).toEqual({ code: 'roundDateInvalid', values: undefined });
		expect(await refusal({ title: '   ' })).toEqual({ code: 'roundTitleRequired', values: { max: 120 } });
		expect(await refusal({ title: 'x'.repeat(121) })).toEqual({ code: 'roundTitleTooLong', values: { max: 120 } });
		expect(await refusal({ budgetMinutes: 601 })).toEqual({ code: 'roundBudgetRange', values: { min: 15, max: 600 } });
		expect(await refusal({ workerIds: [anna] })).toEqual({ code: 'roundWorkersCount', values: { min: 2, max: 3, n: 1 } });
		expect(await refusal({ workerIds: [anna, anna] })).toEqual({ code: 'roundWorkersCount', values: { min: 2, max: 3, n: 1 } });
		expect(await refusal({ workerIds: [anna, stranger] })).toMatchObject({ code: 'roundWorkersInvalid' });
		expect(await refusal({ teamId: 2 })).toMatchObject({ code: 'roundTeamInvalid' });
		expect(await refusal({ teamId: 0 })).toMatchObject({ code: 'roundTeamInvalid' });
		expect(await refusal({ startTime: '19h30' })).toMatchObject({ code: 'roundStartTimeInvalid' });
	});

	it('does not plan a round with an inactive worker', async () => {
		const gone = await createUser(t.sql, { orgId, email: 'gone@rounds.example', name: 'Weg', role: 'worker', password: 'long enough password 1' });
		await t.sql`update app_user set active = false where org_id = ${orgId} and user_id = ${gone}`;
		expect(await refusedField(round({ workerIds: [anna, gone] }))).toBe('workerIds');
	});

	it("lists a period's rounds with their workers, and only a worker's own with userId", async () => {
		const early = await createRound(t.sql, orgId, coordinator, round({ plannedOn: '2026-04-01', title: 'Park', workerIds: [bram, chris] }));
		const late = await createRound(
			t.sql,
			orgId,
			coordinator,
			round({ plannedOn: '2026-04-03', title: 'Markt', workerIds: [anna, chris], startTime: '19:30' })
		);
		await createRound(t.sql, orgId, coordinator, round({ plannedOn: '2026-04-20', title: 'Later', workerIds: [anna, chris] }));

		const all = await listRounds(t.sql, orgId, { from: '2026-04-01', to: '2026-04-10' });
		expect(all.map((r) => r.roundId)).toEqual([late, early]);
		// a round planned without a time has none
		expect(all[1]!.startTime).toBeNull();
		expect(all[0]).toMatchObject({
			plannedOn: '2026-04-03',
			title: 'Markt',
			teamId: null,
			budgetMinutes: 120,
			startTime: '19:30',
			contacts: 0,
			workers: [
				{ userId: anna, name: 'Anna' },
				{ userId: chris, name: 'Chris' }
			]
		});
		expect((await listRounds(t.sql, orgId, { from: '2026-04-01', to: '2026-04-10', userId: anna })).map((r) => r.title)).toEqual(['Markt']);
		expect((await listRounds(t.sql, orgId, { from: '2026-04-01', to: '2026-04-10', userId: bram })).map((r) => r.title)).toEqual(['Park']);
		expect((await listRounds(t.sql, orgId, { from: '2026-04-01', to: '2026-04-30', userId: chris })).map((r) => r.title)).toEqual([
			'Later',
			'Markt',
			'Park'
		]);
		expect(await listRounds(t.sql, orgId, { from: '2026-04-01', to: '2026-04-30', userId: stranger })).toEqual([]);
		// inclusive at both ends
		expect((await listRounds(t.sql, orgId, { from: '2026-04-03', to: '2026-04-20' })).map((r) => r.title)).toEqual(['Later', 'Markt']);
	});

	it('deletes a round but keeps the contacts logged on it', async () => {
		const id = await createRound(t.sql, orgId, coordinator, round({ plannedOn: '2026-05-05', title: 'Te schrappen' }));
		const cell = cellToBigInt(latLngToCell(51.05, 3.72, 10)).toString();
		await t.sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id, round_id)
			values (${orgId}, '2026-05-05T20:00:00Z', ${cell}::bigint, 1, 'on-round-1', ${id}),
				(${orgId}, '2026-05-05T20:30:00Z', ${cell}::bigint, 1, 'on-round-2', ${id})`;
		const [listed] = await listRounds(t.sql, orgId, { from: '2026-05-05', to: '2026-05-05' });
		expect(listed).toMatchObject({ roundId: id, contacts: 2 });

		expect(await deleteRound(t.sql, orgId + 1, coordinator, id)).toBe(false); // another organisation's id space
		expect(await deleteRound(t.sql, orgId, coordinator, id)).toBe(true);
		expect(await deleteRound(t.sql, orgId, coordinator, id)).toBe(false);

		const contacts = await t.sql`
			select external_id, round_id from contact_moment where org_id = ${orgId} and external_id like 'on-round-%' order by external_id`;
		expect(contacts).toEqual([
			{ external_id: 'on-round-1', round_id: null },
			{ external_id: 'on-round-2', round_id: null }
		]);
		expect(await t.sql`select 1 from street_round_worker where org_id = ${orgId} and round_id = ${id}`).toHaveLength(0);
		expect(await listRounds(t.sql, orgId, { from: '2026-05-05', to: '2026-05-05' })).toEqual([]);
		const removed = await t.sql`select user_id, detail from audit_log where org_id = ${orgId} and action = 'round.remove'`;
		expect(removed).toEqual([{ user_id: coordinator, detail: { roundId: id } }]);
	});
});
