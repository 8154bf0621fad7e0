// The organisation's area layers (coordinators only): which imported layer is the district
// layer and which carries population. chooseAreaLayers validates and writes the audit entry.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { requireContext } from '$lib/server/context';
import { areaLayerChoice, chooseAreaLayers } from '$lib/server/area-layers';

export async function load({ locals, depends }) {
	depends('app:area-layers');
	const { org } = await requireContext(locals);
	const { sql } = await db();
	return { choice: await areaLayerChoice(sql, org.orgId) };
}

export const actions = {
	default: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = { district: String(f.get('district') ?? ''), population: String(f.get('population') ?? '') };
		const { sql } = await db();
		try {
			await chooseAreaLayers(sql, org.orgId, user.userId, { district: values.district, population: values.population || null });
			return { saved: true };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { ...fieldProblem(e), values });
		}
	}
};
