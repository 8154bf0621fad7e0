// The worker's day: today's rounds they walk and their zones (server/today.ts).
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { todayFor } from '$lib/server/today';

export async function load({ locals }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	return { day: await todayFor(sql, org, user.userId, todayInBrussels()) };
}
