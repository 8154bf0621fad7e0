// Signals ("signalen"): what partners, citizens and workers report about a place. Coordinators
// and workers record them and follow them up; analysts have no access (ROUTE_ACCESS). A place is
// a cell picked on the map (snapped in the browser) or typed coordinates snapped here; the point
// itself is never stored.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { AREA_ATTRIBUTION, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { getOrgArea } from '$lib/server/organisations';
import { createSignal, listSignals, setSignalStatus, signalsVocabulary } from '$lib/server/imports/signals';
import { personalDataIn, validateSignalForm } from '$lib/domain/import/signals';

const text = (f: FormData, name: string) => String(f.get(name) ?? '');

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const [{ targetGroups }, list] = await Promise.all([signalsVocabulary(sql, org.orgId), listSignals(sql, org.orgId)]);
	return {
		signals: list.items,
		open: list.open,
		total: list.total,
		targetGroups,
		storageRes: org.storageRes,
		bbox: org.bbox,
		basemapStyle: readConfig().basemapStyle,
		attribution: AREA_ATTRIBUTION
	};
}

export const actions = {
	create: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = {
			cell: text(f, 'cell'),
			lat: text(f, 'lat'),
			lng: text(f, 'lng'),
			reportedAt: text(f, 'reportedAt'),
			reporterKind: text(f, 'reporterKind'),
			description: text(f, 'description'),
			targetGroups: f.getAll('targetGroups').map(String)
		};
		const { sql } = await db();
		const { targetGroups } = await signalsVocabulary(sql, org.orgId);
		const r = validateSignalForm(values, { area: await getOrgArea(sql, org), resolution: org.storageRes, targetGroups, now: new Date() });
		if (!r.ok) return fail(400, { action: 'create' as const, field: r.field, code: r.code, message: r.message, values });
		// An e-mail address or phone number in the text identifies someone: refuse it here (an import
		// only warns, since the file is someone else's).
		const personal = personalDataIn(r.value.description);
		if (personal)
			return fail(400, {
				action: 'create' as const,
				field: 'description',
				code: 'personalData',
				message: `the description seems to contain ${personal.en}`,
				values
			});
		const id = await createSignal(sql, org.orgId, user.userId, r.value);
		return { action: 'create' as const, id };
	},

	// Workers mark signals handled too (they check them in the street); the row and the audit
	// log keep who did it.
	status: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const id = Number(text(f, 'id'));
		const status = text(f, 'status');
		if (!Number.isInteger(id) || id <= 0 || (status !== 'open' && status !== 'handled'))
			return fail(400, { action: 'status' as const, field: 'id', code: 'unknownSignal', message: 'no such signal' });
		const { sql } = await db();
		if (!(await setSignalStatus(sql, org.orgId, user.userId, id, status)))
			return fail(404, { action: 'status' as const, field: 'id', code: 'unknownSignal', message: 'no such signal' });
		return { action: 'status' as const, id, status };
	}
};
