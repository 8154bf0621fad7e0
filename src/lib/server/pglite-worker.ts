// The worker side of embedded PGlite (db.ts): PGlite and the loopback socket server that serves it
// to postgres.js run in this worker thread, so that every query's WASM runs here and not on the
// request thread's event loop. The main thread keeps the postgres.js client (the same queries on
// both databases) and the data directory's lock (pglite-lock.ts).
//
// The main thread finds this file through `workerUrl` (its own URL: the .ts source under vite dev,
// vitest and tsx, loaded through ts-worker.js; the compiled chunk in build/server), see
// worker-file.ts. Imported in the main thread, it does nothing but say that URL. It imports no
// module of the project, so that its built chunk is this file alone.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';

/** What the main thread hands the worker. */
export interface PgliteWorkerData {
	/** A directory, or `memory://`. */
	pgliteDataDir: string;
}

/** An error that crossed from the worker: its name, message and stack. */
export interface PlainError {
	name: string;
	message: string;
	stack?: string;
}

export type FromPgliteWorker =
	{ type: 'ready'; host: string; port: number } | { type: 'failed'; error: PlainError } | { type: 'stopped'; error?: PlainError };
export type ToPgliteWorker = { type: 'stop' };

/** This module's URL, for the main thread to start the worker from. */
export const workerUrl: string = import.meta.url;

const data = workerData as Partial<PgliteWorkerData> | null;
if (!isMainThread && parentPort && typeof data?.pgliteDataDir === 'string') void serve(data.pgliteDataDir, parentPort);

async function serve(dataDir: string, port: MessagePort): Promise<void> {
	const send = (m: FromPgliteWorker) => port.postMessage(m);
	const { PGlite } = await import('@electric-sql/pglite');
	const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
	let db: InstanceType<typeof PGlite> | undefined;
	let server: InstanceType<typeof PGLiteSocketServer>;
	try {
		db = await PGlite.create(dataDir);
		// One connection is used (db.ts); a few more may wait, as before.
		server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
		await server.start();
	} catch (e) {
		await db?.close().catch(() => {});
		send({ type: 'failed', error: plain(e) });
		return;
	}
	port.on('message', (m: ToPgliteWorker) => {
		if (m.type !== 'stop') return;
		void (async () => {
			try {
				await server.stop();
				await db!.close();
				send({ type: 'stopped' });
			} catch (e) {
				send({ type: 'stopped', error: plain(e) });
			}
		})();
	});
	const [host, p] = server.getServerConn().split(':');
	send({ type: 'ready', host: host!, port: Number(p) });
}

function plain(e: unknown): PlainError {
	return e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { name: 'Error', message: String(e) };
}
