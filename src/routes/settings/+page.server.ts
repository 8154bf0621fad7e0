// Organisation settings (coordinators only): privacy threshold, resolutions per role, retention.
// updateSettings validates (SettingsSchema) and writes the audit entry.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { UserInputError } from '$lib/domain/errors';
import { requireContext } from '$lib/server/context';
import { SettingsSchema, updateSettings } from '$lib/server/settings';

const FIELDS = ['kThreshold', 'policyRes', 'planningRes', 'retentionMonths'] as const;
type Field = (typeof FIELDS)[number];

/** Allowed range per field, read from the schema so the form and the check cannot disagree. */
const RANGES = Object.fromEntries(
	FIELDS.map((f) => [f, { min: SettingsSchema.shape[f].minValue ?? 0, max: SettingsSchema.shape[f].maxValue ?? 0 }])
) as Record<Field, { min: number; max: number }>;

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
			const range = RANGES[e.field as Field];
			return fail(400, {
				field: e.field,
				code: range ? 'settingsRange' : 'generic',
				message: e.message,
				params: range ?? {},
				values
			});
		}
	}
};
