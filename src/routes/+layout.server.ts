// Who is signed in, for the shared header. Runs for every page, including /login for anonymous
// visitors and error pages, so it never throws: no user means no organisation either.
import { db } from '$lib/server/app-db';
import { getOrganisation } from '$lib/server/organisations';
import type { Role } from '$lib/domain/access';

export interface ShellUser {
	name: string;
	role: Role;
}

export interface ShellOrg {
	name: string;
	isDemo: boolean;
}

export async function load({ locals }): Promise<{ user: ShellUser | null; org: ShellOrg | null }> {
	const user = locals.user;
	if (!user) return { user: null, org: null };
	const { sql } = await db();
	const org = await getOrganisation(sql, user.orgId);
	return {
		user: { name: user.name, role: user.role },
		org: org ? { name: org.name, isDemo: org.isDemo } : null
	};
}
