// Area layers (GeoJSON) and area indicators (CSV by area code), through the shared runner: one
// transaction, upserts by (org, layer, code) and (org, layer, code, indicator).
import type { Sql } from '../db';
import type { ParseSummary, RowBatch } from '../../domain/import/rows';
import { parseAreaIndicatorsCsv, type AreaRow, type IndicatorRow } from '../../domain/import/areas';
import type { AreaIndicatorMapping, AreaMapping } from '../../domain/import/mapping';
import { inChunks, orgAndVocabularies } from './services';
import { readAllBytes } from '../../domain/import/json-upload';
import { compute } from '../compute-pool';
import { csvSource } from './csv-stream';
import { issueBatch, runImport, type KindImportOptions, type KindImportResult } from './run';
import { storeAreaCells } from '../area-cells';

/** Area files smaller than this are checked on the request thread (a few ms; no worker needed). */
export const AREAS_INLINE_BELOW_BYTES = 64 * 1024;

/**
 * A GeoJSON layer of Polygons/MultiPolygons into `area`. Re-importing updates by code; areas of
 * the layer that are not in the file stay (zones may point at them). Without a population
 * property, stored populations are kept (an indicator CSV may have set them).
 */
export async function importAreas(
	sql: Sql,
	chunks: AsyncIterable<Uint8Array>,
	mapping: AreaMapping,
	o: KindImportOptions
): Promise<KindImportResult> {
	const { area } = await orgAndVocabularies(sql, o.orgId);
	// Read before the import's transaction opens: parse runs inside it, and on PGlite's single
	// connection a query on `sql` there would wait for the transaction forever.
	const stored = (await sql`select code from area where org_id = ${o.orgId} and layer = ${mapping.layer}`).map((r) => r.code as string);
	const [org] = await sql`select planning_res from organisation where org_id = ${o.orgId}`;
	const planningRes = org!.planning_res as number;
	async function* parse(): AsyncGenerator<RowBatch<AreaRow>, ParseSummary | void, undefined> {
		const t = await readAllBytes(chunks);
		if (!t.ok) {
			yield issueBatch<AreaRow>([t.issue]);
			return;
		}
		// decoding, JSON.parse and every geometry check, repair and simplification in a worker
		// (a feature of 1,000,000 vertices is seconds of CPU); a small file stays on this thread.
		const plainArea = { bbox: area.bbox, ...(area.boundary ? { boundary: area.boundary } : {}) };
		const parsed = await compute('parseAreasBytes', [t.data, mapping, { area: plainArea, acceptOutside: o.acceptOutside, storedCodes: stored }], {
			work: t.bytes,
			inlineBelow: AREAS_INLINE_BELOW_BYTES,
			transfer: [t.data.buffer as ArrayBuffer]
		});
		if (!parsed.ok) {
			yield issueBatch<AreaRow>([parsed.issue]);
			return;
		}
		const batch = parsed.batch;
		batch.progress = { bytesRead: t.bytes, totalBytes: o.totalBytes };
		yield batch;
	}
	return runImport(sql, o, {
		kind: 'areas',
		parse,
		// geometries are large: a few hundred per statement
		write: (tx, rows) =>
			inChunks(rows, 250, async (part) => {
				const result = await upsertAreas(tx, o.orgId, mapping.layer, part, mapping.population !== undefined);
				// a new or changed area gets its cells now, in steps, in the import's transaction
				const changed = new Set(result.changed);
				const outlines = part.filter((r) => changed.has(r.externalId)).map((r) => ({ code: r.externalId, geometry: r.geometry }));
				await storeAreaCells(tx, o.orgId, mapping.layer, outlines, planningRes);
				return { imported: result.imported, updated: result.updated };
			})
	});
}

export async function upsertAreas(tx: Sql, orgId: number, layer: string, rows: AreaRow[], withPopulation: boolean) {
	const result = await tx`
		insert into area (org_id, layer, code, name, parent_code, population, geometry)
		select ${orgId}, ${layer}, code, name, parent, pop, geom::jsonb
		from unnest(
			${rows.map((r) => r.externalId)}::text[],
			${rows.map((r) => r.name)}::text[],
			${rows.map((r) => r.parentCode)}::text[],
			${rows.map((r) => r.population)}::integer[],
			${rows.map((r) => JSON.stringify(r.geometry))}::text[]
		) as u(code, name, parent, pop, geom)
		on conflict (org_id, layer, code) do update set
			name = excluded.name,
			parent_code = excluded.parent_code,
			population = case when ${withPopulation}::boolean then excluded.population else area.population end,
			geometry = excluded.geometry
		where (area.name, area.parent_code, area.geometry) is distinct from (excluded.name, excluded.parent_code, excluded.geometry)
			or (${withPopulation}::boolean and area.population is distinct from excluded.population)
		returning code, (xmax = 0) as inserted`;
	const imported = result.filter((r) => r.inserted).length;
	// codes of new or changed areas (the cells of a renamed one are computed again: rare, and cheap)
	const changed = result.map((r) => r.code as string);
	return { imported, updated: result.length - imported, changed };
}

/**
 * An indicator CSV into `area_indicator` (and `area.population`). Counted per row, like every
 * import: imported = the row added an indicator value, updated = it only changed stored values
 * (or the population), unchanged = it changed nothing. A row of many indicators is one row.
 */
export async function importAreaIndicators(
	sql: Sql,
	chunks: AsyncIterable<Uint8Array>,
	mapping: AreaIndicatorMapping,
	o: KindImportOptions
): Promise<KindImportResult> {
	const codes = await sql`select code from area where org_id = ${o.orgId} and layer = ${mapping.layer}`;
	const knownCodes = new Set(codes.map((r) => r.code as string));
	return runImport(sql, o, {
		kind: 'area_indicators',
		parse: () => parseAreaIndicatorsCsv(csvSource(chunks), mapping, { knownCodes, batchSize: 2000, totalBytes: o.totalBytes }),
		write: (tx, rows) => writeIndicators(tx, o.orgId, mapping.layer, rows)
	});
}

async function writeIndicators(tx: Sql, orgId: number, layer: string, rows: IndicatorRow[]) {
	// codes are unique among a file's valid rows (later copies are duplicates or rejected)
	const added = new Set<string>();
	const changed = new Set<string>();
	const pops = rows.filter((r) => r.population !== null);
	if (pops.length) {
		const result = await tx`
			update area a set population = u.pop
			from unnest(${pops.map((r) => r.externalId)}::text[], ${pops.map((r) => r.population)}::integer[]) as u(code, pop)
			where a.org_id = ${orgId} and a.layer = ${layer} and a.code = u.code and a.population is distinct from u.pop
			returning a.code`;
		for (const r of result) changed.add(r.code as string);
	}
	const values = rows.flatMap((r) => r.values.map((v) => ({ code: r.externalId, ...v })));
	for (let i = 0; i < values.length; i += 5000) {
		const part = values.slice(i, i + 5000);
		const result = await tx`
			insert into area_indicator (org_id, layer, code, indicator, value)
			select ${orgId}, ${layer}, code, indicator, value
			from unnest(
				${part.map((v) => v.code)}::text[],
				${part.map((v) => v.indicator)}::text[],
				${part.map((v) => String(v.value))}::text[]::double precision[]
			) as u(code, indicator, value)
			on conflict (org_id, layer, code, indicator) do update set value = excluded.value
			where area_indicator.value is distinct from excluded.value
			returning code, (xmax = 0) as inserted`;
		for (const r of result) (r.inserted ? added : changed).add(r.code as string);
	}
	const imported = rows.filter((r) => added.has(r.externalId)).length;
	const updated = rows.filter((r) => !added.has(r.externalId) && changed.has(r.externalId)).length;
	return { imported, updated, unchanged: rows.length - imported - updated };
}

/** Indicators of a layer (for map colouring and tests): code → indicator → value. */
export async function areaIndicators(sql: Sql, orgId: number, layer: string): Promise<Record<string, Record<string, number>>> {
	const rows = await sql`select code, indicator, value from area_indicator where org_id = ${orgId} and layer = ${layer} order by code, indicator`;
	const out: Record<string, Record<string, number>> = {};
	for (const r of rows) (out[r.code as string] ??= {})[r.indicator as string] = Number(r.value);
	return out;
}
