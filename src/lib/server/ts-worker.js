// A worker thread's entry when the server runs from its TypeScript source (vite dev, vitest, the
// tsx scripts): worker threads do not share the main thread's TypeScript loader, so this file
// loads the worker's .ts module (workerData.tsEntry, see worker-file.ts) through tsx's API and
// passes on its default export (a compute-pool task runner for piscina). The built app starts its
// workers from the compiled chunks directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport(workerData.tsEntry, import.meta.url);
export default worker.default;
