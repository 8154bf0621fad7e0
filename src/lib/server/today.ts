// A field worker's day (the /today page): the rounds they walk today, with the duo, the budget
// and when and where the route starts, and their zones valid today with the last visit.
import type { Sql } from './db';
import { listRounds } from './rounds';
import { listZones, zoneVisits } from './zones';

export interface TodayRound {
	roundId: number;
	title: string;
	budgetMinutes: number;
	/** When it sets off (HH:MM), when the coordinator set a time. */
	startTime: string | null;
	/** The names of the others on the round. */
	partners: string[];
	/** Where the route starts, when the coordinator chose a start. */
	startLabel: string | null;
	/** Zones in its saved route (0: no route yet). */
	stops: number;
	contacts: number;
}

export interface TodayZone {
	assignmentId: number;
	label: string;
	areaName: string | null;
	/** ISO time of the latest contact moment in the zone (by anyone), or null. */
	lastVisit: string | null;
}

export interface Today {
	today: string;
	rounds: TodayRound[];
	zones: TodayZone[];
}

export async function todayFor(sql: Sql, org: { orgId: number; storageRes: number }, userId: number, today: string): Promise<Today> {
	const rounds = await listRounds(sql, org.orgId, { from: today, to: today, userId });
	const starts = new Map<number, string | null>();
	if (rounds.length) {
		const rows = await sql`
			select round_id, start_label from street_round
			where org_id = ${org.orgId} and round_id in ${sql(rounds.map((r) => r.roundId))}`;
		for (const r of rows) starts.set(r.round_id as number, (r.start_label as string | null) ?? null);
	}
	const zones = await listZones(sql, org.orgId, { userId, activeOn: today });
	const visits = await zoneVisits(sql, org.orgId, zones, org.storageRes);
	return {
		today,
		// listRounds is newest first; a day's rounds in the order they were planned
		rounds: rounds.reverse().map((r) => ({
			roundId: r.roundId,
			title: r.title,
			budgetMinutes: r.budgetMinutes,
			startTime: r.startTime,
			partners: r.workers.filter((w) => w.userId !== userId).map((w) => w.name),
			startLabel: starts.get(r.roundId) ?? null,
			stops: r.stops,
			contacts: r.contacts
		})),
		zones: zones.map((z) => ({
			assignmentId: z.assignmentId,
			label: z.label,
			areaName: z.area?.name ?? null,
			lastVisit: visits.get(z.assignmentId)?.lastVisit ?? null
		}))
	};
}
