// A small pool of worker threads (piscina) for the CPU-heavy pure steps: underserved scoring,
// hot spots, residents per cell and an area layer's geometry checks. The request thread reads
// the inputs from the database, hands them to a worker (compute-worker.ts) and stays free to
// answer other requests while the worker computes; the answer is the domain function's own.
//
// ATLAS_COMPUTE_THREADS sets the pool's size (default: one thread per core but one, at least 1
// and at most 4: on a 2-core machine one worker next to the request thread). 0 computes every
// task on the request thread, as before the pool.
//
// The pool starts on the first task big enough to need it. It finds its worker file through the
// worker module's own URL (worker-file.ts), so the same code works from the TypeScript source
// (vite dev, vitest, tsx scripts: a .ts URL, loaded in the worker through ts-worker.js) and in the
// built app (the compiled chunk that adapter-node writes to build/server). closeComputePool() ends it
// (graceful shutdown, the end of a test file or script); idle workers never keep a process alive.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Task, TaskName, Tasks } from './compute-worker';
import { workerFile } from './worker-file';

let pool: Promise<Piscina> | null = null;

/** The pool's size from ATLAS_COMPUTE_THREADS (0: no pool). */
export function computeThreads(env: NodeJS.ProcessEnv = process.env): number {
	const given = env.ATLAS_COMPUTE_THREADS;
	if (given !== undefined && given.trim() !== '') {
		const n = Number(given);
		if (!Number.isInteger(n) || n < 0) throw new Error(`ATLAS_COMPUTE_THREADS must be a whole number ≥ 0, not "${given}"`);
		return n;
	}
	return Math.min(4, Math.max(1, availableParallelism() - 1));
}

async function startPool(threads: number): Promise<Piscina> {
	const { workerUrl } = await import('./compute-worker');
	const { filename, workerData } = workerFile(workerUrl);
	return new Piscina({
		filename,
		workerData,
		minThreads: threads,
		maxThreads: threads,
		// a task waits for a free worker rather than the pool growing (the machine is small)
		idleTimeout: Infinity,
		closeTimeout: 5_000
	});
}

/**
 * Answers that come back from a worker as JSON text rather than a structured clone: for a res-10
 * scoring (12,000 zones with their reasons, ~3 MB) JSON.parse takes the request thread roughly
 * half as long as deserialising the clone (measured ~20–30 ms against ~40–75 ms on the loaded
 * 2-core machine). An array comes in texts of JSON_CHUNK elements, parsed one per turn of the
 * event loop, so no single step holds the request thread for long. Only for answers of plain
 * JSON data (no Map, undefined or NaN that matters).
 */
const JSON_ANSWERS: ReadonlySet<TaskName> = new Set(['scoreZones']);

/**
 * Runs `name(...args)` in a worker, or on this thread when `work` (the caller's measure of the
 * input: zones, cells, bytes) is below `inlineBelow` or the pool is off. The answer is the same
 * either way (a structured clone of the domain function's answer). `transfer`: buffers of the
 * arguments to move to the worker rather than copy (unusable here afterwards).
 */
export async function compute<K extends TaskName>(
	name: K,
	args: Parameters<Tasks[K]>,
	{ work = Infinity, inlineBelow = 0, transfer }: { work?: number; inlineBelow?: number; transfer?: ArrayBuffer[] } = {}
): Promise<ReturnType<Tasks[K]>> {
	const threads = computeThreads();
	if (threads === 0 || work < inlineBelow) {
		const { default: runTask } = await import('./compute-worker');
		return runTask({ name, args }) as ReturnType<Tasks[K]>;
	}
	pool ??= startPool(threads);
	const json = JSON_ANSWERS.has(name);
	const task: Task<K> = { name, args, json };
	const answer: unknown = await (await pool).run(task, transfer ? { transferList: transfer } : {});
	if (!json) return answer as ReturnType<Tasks[K]>;
	if (!Array.isArray(answer)) return JSON.parse(answer as string) as ReturnType<Tasks[K]>;
	return (await parseChunks(answer as string[])) as ReturnType<Tasks[K]>;
}

/** JSON texts of arrays, parsed one per turn of the event loop (setImmediate), concatenated. */
export async function parseChunks(chunks: readonly string[]): Promise<unknown[]> {
	const out: unknown[] = [];
	for (let i = 0; i < chunks.length; i++) {
		if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
		for (const x of JSON.parse(chunks[i]!) as unknown[]) out.push(x);
	}
	return out;
}

/** Tasks the pool's workers have completed since it started (0 without a pool). */
export async function computePoolCompleted(): Promise<number> {
	return pool ? (await pool).completed : 0;
}

/** Ends the pool's workers (tasks in flight may finish, for at most a few seconds). Safe to call twice. */
export async function closeComputePool(): Promise<void> {
	const p = pool;
	pool = null;
	if (p) await (await p).close();
}
