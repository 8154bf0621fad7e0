// Demo street rounds: one a week for the past eight weeks, one today and one later this week, each
// walked by a duo. A past round gets the contacts of its team from that afternoon and evening (the
// generator spreads contacts over the day, so that stretch stands in for the walk). The coming
// rounds get a route as a coordinator would plan it: the planner's choice among the underserved
// zones within reach of the service location nearest to the neighbourhood.
import type { Sql } from '../db';
import { cellCentre, distanceM } from '../../domain/cells';
import { addDays } from '../../domain/hex-query';
import { candidatesNear, proposeRoute } from '../../domain/round-route';
import { getOrganisation } from '../organisations';
import { planningZones, saveRoundRoute, startOptions } from '../round-route';
import type { DemoUserIds } from './users';

const BUDGET = 150;
// Where the coming rounds go: Sint-Pietersstation and Brugse Poort.
const STATION = { lat: 51.0357, lng: 3.7101 };
const BRUGSE_POORT = { lat: 51.057, lng: 3.705 };

export async function insertDemoRounds(tx: Sql, orgId: number, today: string, users: DemoUserIds): Promise<number> {
	const [noor, sam] = users.colleagues;
	const rounds: { on: string; title: string; team: number; duo: number[]; near?: { lat: number; lng: number } }[] = [];
	for (let week = 8; week >= 1; week--) {
		rounds.push({ on: addDays(today, -7 * week), title: week % 2 ? 'Avondronde Stationsbuurt' : 'Ronde Binnenstad', team: 1, duo: [users.worker, week % 2 ? noor! : sam!] });
	}
	rounds.push({ on: today, title: 'Avondronde Stationsbuurt', team: 1, duo: [users.worker, noor!], near: STATION });
	rounds.push({ on: addDays(today, 3), title: 'Ronde Brugse Poort', team: 2, duo: [noor!, sam!], near: BRUGSE_POORT });

	const planned: { roundId: number; near: { lat: number; lng: number } }[] = [];
	for (const r of rounds) {
		const [row] = await tx`
			insert into street_round (org_id, planned_on, title, team_id, budget_minutes, created_by)
			values (${orgId}, ${r.on}, ${r.title}, ${r.team}, ${BUDGET}, ${users.coordinator})
			returning round_id`;
		const roundId = row!.round_id as number;
		await tx`insert into street_round_worker (org_id, round_id, user_id) select ${orgId}, ${roundId}, unnest(${r.duo}::int[])`;
		if (r.on < today) {
			// the team's contacts of that afternoon and evening, Brussels time
			await tx`
				update contact_moment set round_id = ${roundId}
				where org_id = ${orgId} and team_id = ${r.team} and round_id is null
					and occurred_at >= (${r.on}::date + time '12:00') at time zone 'Europe/Brussels'
					and occurred_at < (${r.on}::date + 1)::timestamp at time zone 'Europe/Brussels'`;
		}
		if (r.near) planned.push({ roundId, near: r.near });
	}
	await planDemoRoutes(tx, orgId, users.coordinator, planned);
	return rounds.length;
}

async function planDemoRoutes(tx: Sql, orgId: number, coordinator: number, rounds: { roundId: number; near: { lat: number; lng: number } }[]) {
	const org = (await getOrganisation(tx, orgId))!;
	const [zones, starts] = await Promise.all([planningZones(tx, org), startOptions(tx, orgId)]);
	const byCell = new Map(zones.map((z) => [z.cell, z]));
	for (const { roundId, near } of rounds) {
		const start = starts.reduce((a, b) => (distanceM(cellCentre(b.cell), near) < distanceM(cellCentre(a.cell), near) ? b : a));
		const plan = proposeRoute(candidatesNear(zones, start.cell, BUDGET), start.cell, BUDGET);
		const stops = plan.stops.map((s) => ({ ...byCell.get(s.cell)!, dwellMinutes: s.dwellMinutes }));
		await saveRoundRoute(tx, org, coordinator, roundId, { start, stops });
	}
}
