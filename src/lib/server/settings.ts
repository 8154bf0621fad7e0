// Organisation settings a coordinator may change: privacy threshold, resolutions, retention.
import { z } from 'zod';
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';

export const SettingsSchema = z.object({
	kThreshold: z.coerce.number().int().min(3).max(50),
	policyRes: z.coerce.number().int().min(5).max(10),
	planningRes: z.coerce.number().int().min(7).max(10),
	retentionMonths: z.coerce.number().int().min(1).max(120)
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SETTING_FIELDS = ['kThreshold', 'policyRes', 'planningRes', 'retentionMonths'] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];

/** Allowed range per field, read from the schema so the form and the check cannot disagree. */
export const SETTING_RANGES = Object.fromEntries(
	SETTING_FIELDS.map((f) => [f, { min: SettingsSchema.shape[f].minValue ?? 0, max: SettingsSchema.shape[f].maxValue ?? 0 }])
) as Record<SettingField, { min: number; max: number }>;

export async function updateSettings(sql: Sql, orgId: number, by: number, input: Record<string, unknown>): Promise<Settings> {
	const parsed = SettingsSchema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const field = String(issue.path[0] ?? 'settings');
		const range = SETTING_RANGES[field as SettingField];
		if (range) throw new UserInputError('settingsRange', field, issue.message, { ...range });
		throw new UserInputError('settingInvalid', field, issue.message);
	}
	const s = parsed.data;
	const [before] = await sql`select k_threshold, policy_res, planning_res, retention_months from organisation where org_id = ${orgId}`;
	await sql`
		update organisation set k_threshold = ${s.kThreshold}, policy_res = ${s.policyRes},
			planning_res = ${s.planningRes}, retention_months = ${s.retentionMonths}
		where org_id = ${orgId}`;
	await audit(sql, {
		orgId,
		userId: by,
		action: 'settings.update',
		detail: {
			kThreshold: s.kThreshold,
			policyRes: s.policyRes,
			planningRes: s.planningRes,
			retentionMonths: s.retentionMonths,
			previousKThreshold: (before?.k_threshold as number) ?? null,
			previousRetentionMonths: (before?.retention_months as number) ?? null
		}
	});
	return s;
}
