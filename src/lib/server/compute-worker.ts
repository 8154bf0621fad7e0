// The worker side of the compute pool (compute-pool.ts): the CPU-heavy pure steps of the domain,
// run in a worker thread so that the request thread stays free. Each task is a domain function
// called with plain data the server has read already (structured-cloned into the worker), and
// its answer comes back the same way. Nothing here reads the database or keeps state.
//
// The pool finds this file through `workerUrl` (its own URL: the .ts source under vite dev,
// vitest and tsx, loaded through ts-worker.js, see worker-file.ts; the built chunk in build/server).
import { scoreZones } from '../domain/analysis/underserved';
import { classifyHotspots } from '../domain/analysis/hotspots';
import { populationByCell } from '../domain/analysis/population';
import { parseAreasGeoJson, type AreaContext, type AreaRow } from '../domain/import/areas';
import { orgArea } from '../domain/import/coordinates';
import { parseJsonBytes } from '../domain/import/json-upload';
import type { AreaMapping } from '../domain/import/mapping';
import type { RowBatch } from '../domain/import/rows';
import type { RowIssue } from '../domain/import/row-errors';

/** An AreaContext that survives the trip to a worker: the organisation's area without its test function. */
export type PlainAreaContext = Omit<AreaContext, 'area' | 'storedCodes'> & {
	area: { bbox: AreaContext['area']['bbox']; boundary?: AreaContext['area']['boundary'] };
	storedCodes?: string[];
};

/**
 * An area layer's bytes → its rows (decoding, JSON.parse and every geometry check, repair and
 * simplification of parseAreasGeoJson), or the issue that the file is empty or not JSON.
 */
export function parseAreasBytes(
	data: Uint8Array,
	mapping: AreaMapping,
	ctx: PlainAreaContext
): { ok: true; batch: RowBatch<AreaRow> } | { ok: false; issue: RowIssue } {
	const j = parseJsonBytes(data);
	if (!j.ok) return { ok: false, issue: j.issue };
	const area = orgArea(ctx.area.bbox, ctx.area.boundary);
	return { ok: true, batch: parseAreasGeoJson(j.value, mapping, { ...ctx, area }) };
}

export const TASKS = { scoreZones, classifyHotspots, populationByCell, parseAreasBytes };
export type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
export interface Task<K extends TaskName = TaskName> {
	name: K;
	args: Parameters<Tasks[K]>;
	/** Answer as JSON text (see compute-pool.ts: quicker for the request thread to take in). */
	json?: boolean;
}

/**
 * Elements of an array answer per JSON text: the request thread parses one at a time and lets
 * other work run in between (a res-10 scoring is ~3 MB of JSON, ~25 ms to parse in one go on a
 * quiet machine and several times that under load; 1,000 zones take ~2 ms).
 */
export const JSON_CHUNK = 1000;

/** Runs one task (in a worker, or inline: the same call). With `json`, an array answer comes as JSON texts of JSON_CHUNK elements. */
export default function runTask<K extends TaskName>({ name, args, json }: Task<K>): ReturnType<Tasks[K]> | string | string[] {
	const fn = TASKS[name] as unknown as (...a: Parameters<Tasks[K]>) => ReturnType<Tasks[K]>;
	const answer = fn(...args);
	if (!json) return answer;
	if (!Array.isArray(answer)) return JSON.stringify(answer);
	const chunks: string[] = [];
	for (let i = 0; i < answer.length; i += JSON_CHUNK) chunks.push(JSON.stringify(answer.slice(i, i + JSON_CHUNK)));
	return chunks;
}

/** This module's URL, for the pool to start workers from. */
export const workerUrl: string = import.meta.url;
