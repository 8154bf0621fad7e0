// The worker's calendar subscription (Agenda-abonnement): whether a feed is in use, and the actions
// that issue (or renew) and revoke it. A new feed's URL is shown once, in the action's answer.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { activeFeedSince, feedPath, issueFeedToken, revokeFeedToken } from '$lib/server/calendar-feed';

export async function load({ locals }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	return { calendarSince: await activeFeedSince(sql, org.orgId, user.userId) };
}

export const actions = {
	calendarIssue: async ({ locals, url }) => {
		const { user, org } = await requireContext(locals);
		const { sql } = await db();
		const token = await issueFeedToken(sql, org.orgId, user.userId);
		return { calendarUrl: new URL(feedPath(token), url.origin).href };
	},
	calendarRevoke: async ({ locals }) => {
		const { user, org } = await requireContext(locals);
		const { sql } = await db();
		await revokeFeedToken(sql, org.orgId, user.userId);
		return { calendarRevoked: true };
	}
};
