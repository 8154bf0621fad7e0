// Round settings (coordinators): the cycling pace and detour factor, the revisit goal, and the
// teams' bases (where their rounds may start). The server checks every value (round-settings).
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { requireContext } from '$lib/server/context';
import { listTeams } from '$lib/server/queries/teams';
import {
	addBase,
	getRoundSettings,
	listBases,
	removeBase,
	ROUND_SETTING_FIELDS,
	ROUND_SETTING_RANGES,
	updateRoundSettings
} from '$lib/server/round-settings';
import { DB_ID } from '$lib/domain/rounds';

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const [settings, bases, teams] = await Promise.all([getRoundSettings(sql, org.orgId), listBases(sql, org.orgId), listTeams(sql, org.orgId)]);
	return { settings, bases, teams, ranges: ROUND_SETTING_RANGES };
}

export const actions = {
	settings: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = Object.fromEntries(ROUND_SETTING_FIELDS.map((k) => [k, text(f, k)]));
		const { sql } = await db();
		try {
			await updateRoundSettings(sql, org.orgId, user.userId, values);
			return { action: 'settings' as const, saved: true };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { action: 'settings' as const, ...fieldProblem(e), values });
		}
	},

	addBase: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = { teamId: text(f, 'teamId'), name: text(f, 'name'), place: text(f, 'place') };
		if (!/^\d{1,5}$/.test(values.teamId))
			return fail(400, { action: 'addBase' as const, field: 'teamId', code: 'roundTeamInvalid', message: 'choose a team', values });
		const { sql } = await db();
		try {
			await addBase(sql, org, user.userId, { teamId: Number(values.teamId), name: values.name, place: values.place });
			return { action: 'addBase' as const, saved: true };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { action: 'addBase' as const, ...fieldProblem(e), values });
		}
	},

	removeBase: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const id = text(await request.formData(), 'baseId');
		const unknown = (status: number) =>
			fail(status, { action: 'removeBase' as const, field: 'baseId', code: 'baseUnknown', message: 'no such base' });
		if (!DB_ID.test(id)) return unknown(400);
		const { sql } = await db();
		if (!(await removeBase(sql, org.orgId, user.userId, Number(id)))) return unknown(404);
		return { action: 'removeBase' as const, saved: true };
	}
};
