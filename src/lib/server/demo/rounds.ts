// Demo street rounds: one a week for the past eight weeks, one today and one later this week, each
// walked by a duo. A past round gets the contacts of its team from that afternoon and evening (the
// generator spreads contacts over the day, so that stretch stands in for the walk).
import type { Sql } from '../db';
import { addDays } from '../../domain/hex-query';
import type { DemoUserIds } from './users';

export async function insertDemoRounds(tx: Sql, orgId: number, today: string, users: DemoUserIds): Promise<number> {
	const [noor, sam] = users.colleagues;
	const rounds: { on: string; title: string; team: number; duo: number[] }[] = [];
	for (let week = 8; week >= 1; week--) {
		rounds.push({ on: addDays(today, -7 * week), title: week % 2 ? 'Avondronde Stationsbuurt' : 'Ronde Binnenstad', team: 1, duo: [users.worker, week % 2 ? noor! : sam!] });
	}
	rounds.push({ on: today, title: 'Avondronde Stationsbuurt', team: 1, duo: [users.worker, noor!] });
	rounds.push({ on: addDays(today, 3), title: 'Ronde Brugse Poort', team: 2, duo: [noor!, sam!] });

	for (const r of rounds) {
		const [row] = await tx`
			insert into street_round (org_id, planned_on, title, team_id, budget_minutes, created_by)
			values (${orgId}, ${r.on}, ${r.title}, ${r.team}, 150, ${users.coordinator})
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
	}
	return rounds.length;
}
