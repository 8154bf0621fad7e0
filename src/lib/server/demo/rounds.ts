// Demo street rounds: one a week for the past eight weeks, one today and one later this week, each
// walked by a duo from the service location nearest its neighbourhood.
// - The coming rounds get a route as a coordinator would plan it: the planner's choice among the
//   underserved zones within reach.
// - Today's round is given the open signals nearest its zones (two at most), so the worker's
//   Vandaag shows a round with signals to follow up, as after a coordinator's morning.
// - A past round gets a route through the zones where its team logged contacts that afternoon and
//   evening (the generator spreads contacts over the day, so that stretch stands in for the walk):
//   the planner picks the zones with the most contacts within the budget, and the contacts in those
//   zones are linked to the round, so its page shows each zone's logged contacts.
import type { Sql } from '../db';
import { cellCentre, distanceM } from '../../domain/cells';
import { addDays } from '../../domain/calendar';
import { candidatesNear, proposeRoute } from '../../domain/round-route';
import { getOrganisation, type Organisation } from '../organisations';
import { planningZones, saveRoundRoute, startOptions, type CandidateZone } from '../round-route';
import { signalsNearRound, transitionSignal } from '../signals';
import type { DemoUserIds } from './users';

const BUDGET = 150;
type Point = { lat: number; lng: number };
// Where the rounds go: Sint-Pietersstation, the Korenmarkt, Brugse Poort.
const STATION: Point = { lat: 51.0357, lng: 3.7101 };
const BINNENSTAD: Point = { lat: 51.0543, lng: 3.7208 };
const BRUGSE_POORT: Point = { lat: 51.057, lng: 3.705 };

interface DemoRound {
	on: string;
	title: string;
	team: number;
	duo: number[];
	near: Point;
	/** When it sets off (HH:MM): evening rounds at 19:00, the others in the afternoon. */
	startTime: string;
}

export async function insertDemoRounds(tx: Sql, orgId: number, today: string, users: DemoUserIds): Promise<number> {
	const [noor, sam] = users.colleagues;
	const rounds: DemoRound[] = [];
	for (let week = 8; week >= 1; week--) {
		const station = week % 2 === 1;
		rounds.push({
			on: addDays(today, -7 * week),
			title: station ? 'Avondronde Stationsbuurt' : 'Ronde Binnenstad',
			team: 1,
			duo: [users.worker, station ? noor! : sam!],
			near: station ? STATION : BINNENSTAD,
			startTime: station ? '19:00' : '14:00'
		});
	}
	rounds.push({ on: today, title: 'Avondronde Stationsbuurt', team: 1, duo: [users.worker, noor!], near: STATION, startTime: '19:00' });
	rounds.push({ on: addDays(today, 3), title: 'Ronde Brugse Poort', team: 2, duo: [noor!, sam!], near: BRUGSE_POORT, startTime: '14:00' });

	const org = (await getOrganisation(tx, orgId))!;
	const [underserved, starts] = await Promise.all([planningZones(tx, org), startOptions(tx, orgId)]);
	const scores = new Map(underserved.map((z) => [z.cell, z]));
	for (const r of rounds) {
		const [row] = await tx`
			insert into street_round (org_id, planned_on, title, team_id, budget_minutes, start_time, created_by)
			values (${orgId}, ${r.on}, ${r.title}, ${r.team}, ${BUDGET}, ${r.startTime}::time, ${users.coordinator})
			returning round_id`;
		const roundId = row!.round_id as number;
		await tx`insert into street_round_worker (org_id, round_id, user_id) select ${orgId}, ${roundId}, unnest(${r.duo}::int[])`;
		const start = starts.reduce((a, b) => (distanceM(cellCentre(b.cell), r.near) < distanceM(cellCentre(a.cell), r.near) ? b : a));
		// a past afternoon without contacts (a small seed) keeps a planned route, as a coming round
		const walked = r.on < today ? await walkedZones(tx, org, r) : [];
		const past = walked.length > 0;
		const zones = past ? walked : underserved;
		const plan = proposeRoute(candidatesNear(zones, start.cell, BUDGET), start.cell, BUDGET);
		const stops = plan.stops.map((s) => ({ cell: s.cell, dwellMinutes: s.dwellMinutes }));
		// a past round's zones were chosen by their contacts, not scored: no score or reasons kept
		await saveRoundRoute(tx, org, users.coordinator, roundId, { start, stops }, past ? null : scores);
		if (r.on === today)
			await assignNearSignals(
				tx,
				org,
				users.coordinator,
				roundId,
				stops.map((s) => s.cell),
				today
			);
		if (past)
			await linkWalkedContacts(
				tx,
				org,
				r,
				roundId,
				stops.map((s) => s.cell)
			);
	}
	return rounds.length;
}

const SIGNALS_ON_TODAYS_ROUND = 2;

/** Assigns the round the open signals in or near its zones, as the coordinator would on the inbox. */
async function assignNearSignals(tx: Sql, org: Organisation, coordinator: number, roundId: number, zones: string[], today: string) {
	const by = { userId: coordinator, role: 'coordinator' as const };
	const near = (await signalsNearRound(tx, org, by, roundId, zones, today)).filter((s) => s.status === 'open');
	for (const s of near.slice(0, SIGNALS_ON_TODAYS_ROUND)) await transitionSignal(tx, org, by, s.id, { action: 'assign', roundId }, today);
}

// The team's contacts of that afternoon and evening (Brussels time), unlinked so far.
const walk = (tx: Sql, org: Organisation, r: DemoRound) => tx`
	org_id = ${org.orgId} and team_id = ${r.team} and round_id is null
	and occurred_at >= (${r.on}::date + time '12:00') at time zone 'Europe/Brussels'
	and occurred_at < (${r.on}::date + 1)::timestamp at time zone 'Europe/Brussels'`;

/** The zones of a past round's contacts, valued by their number (as the planner's "score"). */
async function walkedZones(tx: Sql, org: Organisation, r: DemoRound): Promise<CandidateZone[]> {
	const rows = await tx`
		select to_hex(h3_parent(cell, ${org.planningRes})) as cell, count(*)::int as n
		from contact_moment where ${walk(tx, org, r)} group by 1`;
	// candidatesNear only proposes zones scoring 5 or more: a zone with one contact is worth 5
	return rows.map((z) => ({ cell: z.cell as string, score: Math.min(100, 5 * (z.n as number)), reasons: [] }));
}

async function linkWalkedContacts(tx: Sql, org: Organisation, r: DemoRound, roundId: number, zones: string[]) {
	await tx`
		update contact_moment set round_id = ${roundId}
		where ${walk(tx, org, r)}
			and to_hex(h3_parent(cell, ${org.planningRes})) = any(${zones}::text[])`;
}
