// The worker's day: today's rounds they walk and their zones (server/today.ts).
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { todayFor } from '$lib/server/today';
import { roundSignals } from '$lib/server/signals';

export async function load({ locals }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const day = await todayFor(sql, org, user.userId, today);
	// the signals assigned to each of today's rounds, with their status
	const signals = await roundSignals(
		sql,
		org,
		user,
		day.rounds.map((r) => r.roundId),
		today
	);
	return { day, signals: Object.fromEntries(signals) as Record<number, NonNullable<ReturnType<typeof signals.get>>> };
}
