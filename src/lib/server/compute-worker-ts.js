// A compute-pool worker when the server runs from its TypeScript source (vite dev, vitest, the
// tsx scripts): worker threads do not share the main thread's TypeScript loader, so this file
// loads compute-worker.ts through tsx's API. The built app starts its workers from the compiled
// compute-worker chunk directly and never loads this file.
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./compute-worker.ts', import.meta.url);
export default worker.default;
