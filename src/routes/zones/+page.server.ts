// Zone assignments (coordinators only): which worker covers which area or hand-picked cells,
// for which period. createZone/deleteZone write the audit entries (zone.assign / zone.remove).
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { listUsers } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { districtLayer } from '$lib/server/area-layers';
import { areaName, assignableAreas, createZone, deleteZone, listZones, type ZoneInput } from '$lib/server/zones';
import { addDays } from '$lib/domain/calendar';
import { checkPickedCells, parsePickedCells } from '$lib/domain/zone-pick';
import { insideArea } from '$lib/domain/import/coordinates';
import { getOrgArea } from '$lib/server/organisations';
import { areaAttribution, readConfig } from '$lib/server/config';
import { stopNaming } from '$lib/server/round-route';

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const [zones, users, areas, districtLayerName] = await Promise.all([
		listZones(sql, org.orgId),
		listUsers(sql, org.orgId),
		assignableAreas(sql, org.orgId),
		districtLayer(sql, org.orgId)
	]);
	const today = todayInBrussels();
	// a hand-picked zone is listed with the districts its cells lie in (no page shows cell ids)
	const { areaOf } = zones.some((z) => z.cells?.length) ? await stopNaming(sql, org.orgId) : { areaOf: () => null };
	const districtsOf = (cells: string[]) => [...new Set(cells.map(areaOf).filter((d): d is string => !!d))].sort((a, b) => a.localeCompare(b, 'nl'));
	return {
		zones: zones.map((z) => ({ ...z, districts: z.cells?.length ? districtsOf(z.cells) : [] })),
		workers: users.filter((u) => u.active && u.role === 'worker').map((u) => ({ userId: u.userId, name: u.name })),
		areas,
		districtLayer: districtLayerName,
		maxRes: org.planningRes,
		map: { bbox: org.bbox, basemapStyle: readConfig().basemapStyle, attribution: areaAttribution(org) },
		today,
		defaultTo: addDays(today, 90)
	};
}

export const actions = {
	create: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = {
			userId: text(f, 'userId'),
			label: text(f, 'label'),
			kind: text(f, 'kind') === 'cells' ? 'cells' : 'area',
			area: text(f, 'area'),
			cells: text(f, 'cells'),
			validFrom: text(f, 'validFrom'),
			validTo: text(f, 'validTo')
		};
		const fail400 = (field: string, code: string, message: string, params?: Record<string, string | number>) =>
			fail(400, { action: 'create' as const, field, code, message, params, values });
		const userId = Number(values.userId);
		if (!values.userId || !Number.isInteger(userId)) return fail400('userId', 'workerRequired', 'choose a worker');

		const { sql } = await db();
		const input: ZoneInput = { userId, label: values.label, validFrom: values.validFrom, validTo: values.validTo };
		if (values.kind === 'area') {
			const [layer, code] = values.area.split(':');
			if (!layer || !code) return fail400('area', 'areaRequired', 'choose an area');
			input.area = { layer, code };
			if (!input.label) {
				// An area zone is named after its area unless the coordinator typed a name.
				input.label = (await areaName(sql, org.orgId, layer, code)) ?? '';
			}
		} else {
			// the cells picked on the map: at the planning resolution and inside the organisation's area
			input.cells = parsePickedCells(values.cells);
			try {
				const area = await getOrgArea(sql, org);
				checkPickedCells(input.cells, org.planningRes, (p) => insideArea(p, area));
			} catch (e) {
				if (!(e instanceof UserInputError)) throw e;
				return fail(400, { action: 'create' as const, ...fieldProblem(e), values });
			}
		}
		try {
			const assignmentId = await createZone(sql, org.orgId, user.userId, input, org.planningRes);
			return { action: 'create' as const, assignmentId, label: input.label };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			// "choose an area or cells" belongs next to whichever one the coordinator picked.
			return fail(400, { action: 'create' as const, ...fieldProblem(e, e.field === 'zone' ? values.kind : e.field), values });
		}
	},

	delete: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const assignmentId = Number(text(f, 'assignmentId'));
		if (!Number.isInteger(assignmentId) || assignmentId <= 0) {
			return fail(400, { action: 'delete' as const, field: 'assignment', code: 'zoneUnknown', message: 'no such zone' });
		}
		const { sql } = await db();
		const ok = await deleteZone(sql, org.orgId, user.userId, assignmentId);
		if (!ok) return fail(404, { action: 'delete' as const, field: 'assignment', code: 'zoneUnknown', message: 'no such zone' });
		return { action: 'delete' as const, assignmentId };
	}
};
