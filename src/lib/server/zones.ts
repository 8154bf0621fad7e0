// Zone assignments: a coordinator gives a worker an area or hand-picked cells for a period.
// "Last visited" is the latest contact moment (by anyone) in the zone.
import { cellToBigInt, isCell } from '../domain/cells';
import { districtLayer } from './area-layers';
import { ensureAreaCells } from './area-cells';
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';

export interface ZoneInput {
	userId: number;
	label: string;
	area?: { layer: string; code: string };
	/** Hand-picked cells (h3 hex ids) at planning resolution or coarser. */
	cells?: string[];
	validFrom: string;
	validTo: string;
}

export interface Zone {
	assignmentId: number;
	userId: number;
	userName: string;
	label: string;
	area: { layer: string; code: string; name: string } | null;
	cells: string[] | null;
	validFrom: string;
	validTo: string;
}

/** An area a zone can cover, from any layer; an area of another layer with its district's name. */
export interface AssignableArea {
	layer: string;
	code: string;
	name: string;
	district: string | null;
}

/** The areas a coordinator can give as a zone: the district layer first, then the other layers, by name. */
export async function assignableAreas(sql: Sql, orgId: number): Promise<AssignableArea[]> {
	const district = await districtLayer(sql, orgId);
	const rows = await sql`
		select a.layer, a.code, a.name, d.name as district
		from area a left join area d on d.org_id = a.org_id and d.layer = ${district} and a.layer <> ${district} and d.code = a.parent_code
		where a.org_id = ${orgId}
		order by a.layer <> ${district}, a.layer, coalesce(d.name, ''), a.name`;
	return rows.map((r) => ({
		layer: r.layer as string,
		code: r.code as string,
		name: r.name as string,
		district: (r.district as string | null) ?? null
	}));
}

/** The name of one of the organisation's areas, or null when there is no such area. */
export async function areaName(sql: Sql, orgId: number, layer: string, code: string): Promise<string | null> {
	const [a] = await sql`select name from area where org_id = ${orgId} and layer = ${layer} and code = ${code}`;
	return (a?.name as string | undefined) ?? null;
}

export async function createZone(sql: Sql, orgId: number, by: number, z: ZoneInput, maxRes: number): Promise<number> {
	if (!z.label.trim()) throw new UserInputError('labelRequired', 'label', 'a name for the zone is required');
	if (!/^\d{4}-\d{2}-\d{2}$/.test(z.validFrom)) throw new UserInputError('dateInvalid', 'validFrom', 'expected a date as YYYY-MM-DD');
	if (!/^\d{4}-\d{2}-\d{2}$/.test(z.validTo)) throw new UserInputError('dateInvalid', 'validTo', 'expected a date as YYYY-MM-DD');
	if (z.validFrom > z.validTo) throw new UserInputError('dateOrder', 'validTo', 'the end date is before the start date');
	if (!z.area === !z.cells?.length) throw new UserInputError('zoneChoose', 'zone', 'choose either an area or one or more cells');
	const badCell = z.cells?.find((c) => !isCell(c) || Number.parseInt(c[1]!, 16) > maxRes);
	if (badCell)
		throw new UserInputError('cellsInvalid', 'cells', `"${badCell}" is not a cell at resolution ${maxRes} or coarser`, {
			cell: badCell,
			res: maxRes
		});
	const [worker] = await sql`select role from app_user where org_id = ${orgId} and user_id = ${z.userId} and active`;
	if (!worker) throw new UserInputError('workerInvalid', 'userId', 'no such active user in this organisation');
	// The zones page offers active workers only; a crafted id of an analyst or coordinator is refused.
	if (worker.role !== 'worker') throw new UserInputError('workerInvalid', 'userId', 'only an active worker can be given a zone');
	if (z.area) {
		const [area] = await sql`select 1 from area where org_id = ${orgId} and layer = ${z.area.layer} and code = ${z.area.code}`;
		if (!area) throw new UserInputError('areaInvalid', 'area', `no area ${z.area.layer} ${z.area.code}`);
		// stored at import; an area written before that gets its cells now, once
		const [org] = await sql`select planning_res from organisation where org_id = ${orgId}`;
		await ensureAreaCells(sql, orgId, z.area.layer, z.area.code, org!.planning_res as number);
	}
	const [row] = await sql`
		insert into zone_assignment (org_id, user_id, label, area_layer, area_code, cells, valid_from, valid_to, created_by)
		values (${orgId}, ${z.userId}, ${z.label.trim()}, ${z.area?.layer ?? null}, ${z.area?.code ?? null},
			${z.cells ? z.cells.map((c) => cellToBigInt(c).toString()) : null}::bigint[], ${z.validFrom}, ${z.validTo}, ${by})
		returning assignment_id`;
	const id = row!.assignment_id as number;
	await audit(sql, { orgId, userId: by, action: 'zone.assign', detail: { assignmentId: id, userId: z.userId } });
	return id;
}

export async function deleteZone(sql: Sql, orgId: number, by: number, assignmentId: number): Promise<boolean> {
	const rows = await sql`delete from zone_assignment where org_id = ${orgId} and assignment_id = ${assignmentId} returning 1`;
	if (rows.length) await audit(sql, { orgId, userId: by, action: 'zone.remove', detail: { assignmentId } });
	return rows.length === 1;
}

/** Zones of the organisation, or of one user; `activeOn` keeps those valid on that day. */
export async function listZones(sql: Sql, orgId: number, opts: { userId?: number; activeOn?: string } = {}): Promise<Zone[]> {
	const rows = await sql`
		select z.assignment_id, z.user_id, u.display_name, z.label, z.area_layer, z.area_code, a.name as area_name,
			(select array_agg(to_hex(c)) from unnest(z.cells) as c) as cells, z.valid_from::text, z.valid_to::text
		from zone_assignment z
		join app_user u on u.org_id = z.org_id and u.user_id = z.user_id
		left join area a on a.org_id = z.org_id and a.layer = z.area_layer and a.code = z.area_code
		where z.org_id = ${orgId}
			${opts.userId !== undefined ? sql`and z.user_id = ${opts.userId}` : sql``}
			${opts.activeOn ? sql`and ${opts.activeOn}::date between z.valid_from and z.valid_to` : sql``}
		order by z.valid_from desc, z.label`;
	return rows.map((r) => ({
		assignmentId: r.assignment_id as number,
		userId: r.user_id as number,
		userName: r.display_name as string,
		label: r.label as string,
		area: r.area_code ? { layer: r.area_layer as string, code: r.area_code as string, name: r.area_name as string } : null,
		cells: (r.cells as string[] | null) ?? null,
		validFrom: r.valid_from as string,
		validTo: r.valid_to as string
	}));
}

/**
 * When each zone was last visited and how many contacts it had in the last 30 days. An area's
 * cells are read from `area_cell` (stored at import, server/area-cells.ts), never computed here;
 * contacts match them at the cells' own resolution.
 */
export async function zoneVisits(
	sql: Sql,
	orgId: number,
	zones: Zone[],
	storageRes: number
): Promise<Map<number, { lastVisit: string | null; contacts30d: number }>> {
	const out = new Map<number, { lastVisit: string | null; contacts30d: number }>();
	for (const z of zones) {
		let ids: string[];
		if (z.area) {
			const rows = await sql`
				select cell::text as cell from area_cell
				where org_id = ${orgId} and layer = ${z.area.layer} and code = ${z.area.code}`;
			ids = rows.map((r) => r.cell as string);
		} else {
			ids = (z.cells ?? []).map((c) => cellToBigInt(c).toString());
		}
		const res = ids.length ? Number((BigInt(ids[0]!) >> 52n) & 15n) : storageRes;
		// the last visit from the monthly rollup (a row per month, cell and type, not per contact),
		// the last 30 days' contacts through the period index; cells matched by a hashed IN
		const [row] = await sql`
			select
				(select max(last_at) from contact_rollup_month
					where org_id = ${orgId} and h3_parent(cell, ${res}) in (select unnest(${ids}::bigint[]))) as last,
				(select count(*)::int from contact_moment
					where org_id = ${orgId} and occurred_at > now() - interval '30 days'
						and h3_parent(cell, ${res}) in (select unnest(${ids}::bigint[]))) as recent`;
		out.set(z.assignmentId, {
			lastVisit: row?.last ? (row.last as Date).toISOString() : null,
			contacts30d: (row?.recent as number) ?? 0
		});
	}
	return out;
}
