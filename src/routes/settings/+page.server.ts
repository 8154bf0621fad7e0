// Organisation settings (coordinators only): privacy threshold, resolutions per role, retention.
// updateSettings validates (SettingsSchema) and writes the audit entry.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { requireContext } from '$lib/server/context';
import { SETTING_FIELDS as FIELDS, SETTING_RANGES as RANGES, updateSettings, type SettingField as Field } from '$lib/server/settings';

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	return {
		settings: {
			kThreshold: org.kThreshold,
			policyRes: org.policyRes,
			planningRes: org.planningRes,
			retentionMonths: org.retentionMonths
		},
		storageRes: org.storageRes,
		ranges: RANGES
	};
}

export const actions = {
	default: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = Object.fromEntries(FIELDS.map((k) => [k, String(f.get(k) ?? '').trim()])) as Record<Field, string>;
		const { sql } = await db();
		try {
			const saved = await updateSettings(sql, org.orgId, user.userId, values);
			return { saved };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { ...fieldProblem(e), values });
		}
	}
};
