// Where a worker thread starts (the compute pool's workers, compute-pool.ts, and embedded PGlite's,
// db.ts). The worker module says its own URL (`export const workerUrl = import.meta.url`), which
// the main thread gets by importing it: in the built app that is the compiled chunk adapter-node
// wrote to build/server, started as it is; from the TypeScript source (vite dev, vitest, tsx
// scripts) it is a .ts file, which a worker thread cannot load by itself, so the worker starts
// from ts-worker.js beside it, which loads it through tsx. Pass `workerData` on to the worker.

/** The worker's entry file (a file: URL) and the workerData that lets ts-worker.js find the module. */
export function workerFile(workerUrl: string): { filename: string; workerData: { tsEntry?: string } } {
	const fromSource = /\.ts($|\?)/.test(workerUrl);
	return fromSource
		? { filename: new URL('./ts-worker.js', workerUrl).href, workerData: { tsEntry: workerUrl.replace(/[?#].*$/, '') } }
		: { filename: workerUrl, workerData: {} };
}
