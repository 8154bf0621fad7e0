// A new organisation's first hour (coordinators): the checklist, each item done or not as the
// database says; "dismiss" stops the landing here after signing in.
import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { dismissChecklist, firstHourChecklist } from '$lib/server/first-hour';

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	return { checklist: await firstHourChecklist(sql, org.orgId), orgName: org.name };
}

export const actions = {
	dismiss: async ({ locals }) => {
		const { org } = await requireContext(locals);
		const { sql } = await db();
		await dismissChecklist(sql, org.orgId);
		redirect(303, '/');
	}
};
