// Each area's cells at the organisation's planning resolution, stored in `area_cell` once when the
// area is imported (or seeded, or found without cells at start-up), never on a request. The
// computation gives the event loop back between steps (setImmediate), so importing a
// 1,000,000-vertex area does not stall the other requests. Zones given as an area, and other
// features that need an area's cells (reports, signals), read them here or join `area_cell`.
import { getResolution } from 'h3-js';
import type { Sql } from './db';
import { areaCellsInSteps } from '../domain/area-cells';
import type { AreaGeometry } from '../domain/analysis/population';
import { cellToBigInt } from '../domain/cells';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The area's cells at `res`, computed in steps with the event loop free between them. */
export async function computeAreaCells(geometry: AreaGeometry, res: number): Promise<string[]> {
	const it = areaCellsInSteps(geometry, res);
	for (;;) {
		const step = it.next();
		if (step.done) return step.value;
		await nextTick();
	}
}

/**
 * Computes and stores the cells of the given areas (replacing any stored ones), through `tx`
 * (the import's transaction, so the cells change with the geometry).
 */
export async function storeAreaCells(
	tx: Sql,
	orgId: number,
	layer: string,
	areas: readonly { code: string; geometry: AreaGeometry }[],
	res: number
): Promise<number> {
	let stored = 0;
	for (let i = 0; i < areas.length; i += 50) {
		const part = areas.slice(i, i + 50);
		const codes: string[] = [];
		const cells: string[] = [];
		for (const a of part) {
			for (const c of await computeAreaCells(a.geometry, res)) {
				codes.push(a.code);
				cells.push(cellToBigInt(c).toString());
			}
		}
		await tx`delete from area_cell where org_id = ${orgId} and layer = ${layer} and code = any(${part.map((a) => a.code)}::text[])`;
		for (let j = 0; j < cells.length; j += 20_000) {
			await tx`
				insert into area_cell (org_id, layer, code, cell)
				select ${orgId}, ${layer}, code, cell
				from unnest(${codes.slice(j, j + 20_000)}::text[], ${cells.slice(j, j + 20_000)}::bigint[]) as u(code, cell)
				on conflict do nothing`;
		}
		stored += cells.length;
	}
	return stored;
}

/**
 * Stores the cells of every area that has none (areas stored before `area_cell` existed, or
 * written without them), organisation by organisation at its planning resolution. Run at
 * start-up, in the background; returns the number of areas done.
 */
export async function fillMissingAreaCells(sql: Sql, orgId?: number): Promise<number> {
	const missing = await sql`
		select a.org_id, a.layer, a.code, o.planning_res
		from area a join organisation o on o.org_id = a.org_id
		where ${orgId === undefined ? sql`true` : sql`a.org_id = ${orgId}`}
			and not exists (select 1 from area_cell c where c.org_id = a.org_id and c.layer = a.layer and c.code = a.code)
		order by a.org_id, a.layer, a.code`;
	for (const m of missing) {
		const [a] =
			await sql`select geometry from area where org_id = ${m.org_id as number} and layer = ${m.layer as string} and code = ${m.code as string}`;
		if (!a) continue;
		const area = { code: m.code as string, geometry: a.geometry as AreaGeometry };
		await storeAreaCells(sql, m.org_id as number, m.layer as string, [area], m.planning_res as number);
	}
	return missing.length;
}

/** Stores one area's cells when it has none yet (an area written before `area_cell` existed). */
export async function ensureAreaCells(sql: Sql, orgId: number, layer: string, code: string, res: number): Promise<void> {
	const [has] = await sql`select 1 from area_cell where org_id = ${orgId} and layer = ${layer} and code = ${code} limit 1`;
	if (has) return;
	const [a] = await sql`select geometry from area where org_id = ${orgId} and layer = ${layer} and code = ${code}`;
	if (a) await storeAreaCells(sql, orgId, layer, [{ code, geometry: a.geometry as AreaGeometry }], res);
}

/** One area's stored cells (h3 ids); empty when there is no such area. */
export async function areaCells(sql: Sql, orgId: number, layer: string, code: string): Promise<string[]> {
	const rows = await sql`
		select to_hex(cell) as cell from area_cell
		where org_id = ${orgId} and layer = ${layer} and code = ${code} order by cell`;
	return rows.map((r) => r.cell as string);
}

/**
 * Every area of a layer with its stored cells (h3 ids), when all of them are stored at `res`;
 * otherwise null, and the caller computes them (the planning resolution changed since the import,
 * another resolution is asked, or areas were written without cells, as some tests do).
 */
export async function storedLayerCells(sql: Sql, orgId: number, layer: string, res: number): Promise<Map<string, string[]> | null> {
	const rows = await sql`
		select a.code, coalesce(array_agg(to_hex(c.cell) order by c.cell) filter (where c.cell is not null), '{}') as cells
		from area a left join area_cell c on c.org_id = a.org_id and c.layer = a.layer and c.code = a.code
		where a.org_id = ${orgId} and a.layer = ${layer}
		group by a.code`;
	const out = new Map<string, string[]>();
	for (const r of rows) {
		const cells = r.cells as string[];
		if (!cells.length || getResolution(cells[0]!) !== res) return null;
		out.set(r.code as string, cells);
	}
	return out;
}
