// The worker's day (/today, server/today.ts): a worker with no round today gets their zones with
// the last visit (the page then offers the quick log); a round they walk today appears with its
// partner and start time; another duo's round never does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToCenterChild, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createRound } from '../../src/lib/server/rounds';
import { createZone } from '../../src/lib/server/zones';
import { todayFor } from '../../src/lib/server/today';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { addDays } from '../../src/lib/domain/calendar';

let t: TestDatabase;
let org: { orgId: number; storageRes: number };
const ids: Record<string, number> = {};
const TODAY = '2026-12-07';
const zoneCell = latLngToCell(51.054, 3.72, 9);

beforeAll(async () => {
	t = await openTestDatabase();
	const o = await createOrganisation(t.sql, { slug: 'day', name: 'Day test', bbox: [3.6, 51.0, 3.8, 51.1] });
	org = { orgId: o.orgId, storageRes: o.storageRes };
	for (const [key, role] of [
		['coordinator', 'coordinator'],
		['ann', 'worker'],
		['bert', 'worker'],
		['cas', 'worker'],
		['dina', 'worker']
	] as const)
		ids[key] = await createUser(t.sql, { orgId: org.orgId, email: `${key}@day.example`, name: key, role });
	await createZone(
		t.sql,
		org.orgId,
		ids.coordinator!,
		{ userId: ids.ann!, label: 'Stationsplein', cells: [zoneCell], validFrom: addDays(TODAY, -30), validTo: addDays(TODAY, 30) },
		9
	);
	// a contact in the zone two days ago: its last visit
	await t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
		values (${org.orgId}, ${addDays(TODAY, -2) + 'T18:00:00Z'}, ${cellToBigInt(cellToCenterChild(zoneCell, org.storageRes)).toString()}, 1, 'v1')`;
	// another duo walks tonight
	await createRound(t.sql, org.orgId, ids.coordinator!, {
		plannedOn: TODAY,
		title: 'Ronde van anderen',
		teamId: null,
		budgetMinutes: 120,
		workerIds: [ids.cas!, ids.dina!]
	});
});
afterAll(() => t?.cleanup());

describe(dbTitle('the worker’s day'), () => {
	it('gives a worker without a round today their zones with the last visit, and no round', async () => {
		const day = await todayFor(t.sql, org, ids.ann!, TODAY);
		expect(day.rounds).toEqual([]);
		expect(day.zones.map((z) => z.label)).toEqual(['Stationsplein']);
		expect(day.zones[0]!.lastVisit?.slice(0, 10)).toBe(addDays(TODAY, -2));
	});

	it('lists the round they walk today with the partner and start time, never another duo’s', async () => {
		await createRound(t.sql, org.orgId, ids.coordinator!, {
			plannedOn: TODAY,
			title: 'Avondronde',
			teamId: null,
			budgetMinutes: 150,
			startTime: '19:30',
			workerIds: [ids.ann!, ids.bert!]
		});
		const day = await todayFor(t.sql, org, ids.ann!, TODAY);
		expect(day.rounds.map((r) => [r.title, r.partners, r.startTime, r.budgetMinutes])).toEqual([['Avondronde', ['bert'], '19:30', 150]]);
		// tomorrow holds no round for them
		expect((await todayFor(t.sql, org, ids.ann!, addDays(TODAY, 1))).rounds).toEqual([]);
	});
});
