// The one way to the database: a postgres.js client. Without DATABASE_URL we start an embedded
// PGlite, persisted under ./data/, and serve it to postgres.js over a loopback socket, so both
// deployments run the very same queries and migrations. PGlite and that socket server run in a
// worker thread (pglite-worker.ts): its queries' WASM never holds the request thread.
import postgres from 'postgres';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { lockDataDir } from './pglite-lock';
import { trackHeldConnection } from './held-connection';
import { workerFile } from './worker-file';
import type { FromPgliteWorker, PgliteWorkerData, PlainError, ToPgliteWorker } from './pglite-worker';

export type Sql = postgres.Sql<Record<string, never>>;

// Trap: postgres.js types an array parameter by its FIRST ELEMENT, so an array of booleans,
// BigInts or Dates is sent as a scalar bool/int8/timestamptz and the cast fails. Send such arrays
// typed explicitly: ${sql.array(flags, 16)}::boolean[] (or strings through ::text[]::boolean[]; a
// direct ::boolean[] on strings makes postgres.js re-serialize each one as false), and bigints as
// decimal strings: ${ids.map(String)}::bigint[].

export interface Database {
	sql: Sql;
	/** A read-only streaming replica for aggregate reads (DATABASE_READ_URL), see read-replica.ts. */
	read?: Sql;
	kind: 'pglite' | 'postgres';
	/** Where the data lives, for messages: a directory or a redacted URL. */
	where: string;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** postgres://… of a real server; when absent, embedded PGlite is used. */
	url?: string;
	/** PGlite data directory; `memory://` for a throwaway in-memory database. */
	dataDir?: string;
	/** postgres://… of a streaming replica of `url`, for aggregate reads (PostgreSQL only). */
	readUrl?: string;
}

const common = {
	onnotice: () => {},
	// Cells are bigint; we never let them become JS numbers (precision loss above 2^53).
	types: { bigint: postgres.BigInt },
	// PgBouncer in transaction mode needs unnamed statements; harmless elsewhere.
	prepare: false
} as const;

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
	if (opts.url) return openPostgres(opts.url, opts.readUrl);
	return openPglite(opts.dataDir ?? resolve('data', 'pglite'));
}

/**
 * Timeouts, so that while the database is unreachable a request fails fast (503, see
 * db-errors.ts) instead of hanging, and the first requests once it is back do not wait on a
 * connect attempt begun during the outage: DATABASE_CONNECT_TIMEOUT (seconds, default 3; the
 * whole connect, up to the server's ready) and DATABASE_STATEMENT_TIMEOUT (milliseconds, default
 * 120000: a stuck statement is cancelled; an import's statements are batches, well below it).
 */
export function postgresTimeouts(env: NodeJS.ProcessEnv = process.env): { connectTimeout: number; statementTimeoutMs: number } {
	const num = (raw: string | undefined, fallback: number) => {
		const n = Number(raw);
		return raw && Number.isFinite(n) && n > 0 ? n : fallback;
	};
	return { connectTimeout: num(env.DATABASE_CONNECT_TIMEOUT, 3), statementTimeoutMs: num(env.DATABASE_STATEMENT_TIMEOUT, 120_000) };
}

/**
 * Longest wait, in seconds, before a pool connection tries to connect again after a failed
 * attempt. postgres.js's own backoff grows as (0.5–1) × min(3^n / 100, 20) s with every failure
 * of the pool, and a query on a closed connection waits it out before its connect (and its
 * connect timeout) even begins: after some twenty failed requests during an outage, a request
 * waited 6.5–7.8 s for its 503, and the first one after the database came back 4.6 s. A refused
 * connect costs the database nothing, so the wait is kept short.
 */
export const MAX_RECONNECT_DELAY_S = 0.5;

/** postgres.js's backoff, capped: seconds to wait before the `retries`-th reconnect. */
export function reconnectBackoff(retries: number): number {
	return Math.min((0.5 + Math.random() / 2) * (3 ** retries / 100), MAX_RECONNECT_DELAY_S);
}

/** The options of every PostgreSQL pool of the app (primary and replica), `max` connections. */
export function postgresClientOptions(max: number, env: NodeJS.ProcessEnv = process.env) {
	const { connectTimeout, statementTimeoutMs } = postgresTimeouts(env);
	return {
		...common,
		max,
		connect_timeout: connectTimeout,
		backoff: reconnectBackoff,
		connection: { statement_timeout: statementTimeoutMs, application_name: 'outreach-atlas' }
	};
}

async function openPostgres(url: string, readUrl?: string): Promise<Database> {
	const client = (u: string, max: number) => postgres(u, postgresClientOptions(max)) as unknown as Sql;
	const sql = client(url, 10);
	await sql`select 1`; // fail fast with a clear error at start rather than on first request
	// The replica is not checked at start: while it is down, reads go to the primary (read-replica.ts).
	const read = readUrl ? client(readUrl, 10) : undefined;
	return {
		sql,
		read,
		kind: 'postgres',
		where: redact(url) + (readUrl ? ` (reads: ${redact(readUrl)})` : ''),
		close: async () => {
			await Promise.all([sql.end({ timeout: 5 }), read?.end({ timeout: 5 })]);
		}
	};
}

async function openPglite(dataDir: string): Promise<Database> {
	// One process per directory (DatabaseLockedError otherwise): see pglite-lock.ts.
	let lock: { release(): void } | undefined;
	if (!dataDir.startsWith('memory://')) {
		mkdirSync(dataDir, { recursive: true });
		lock = await lockDataDir(resolve(dataDir));
	}
	try {
		const served = await startPgliteWorker(dataDir);
		// One connection: PGlite has a single backend, and a transaction must own it (its start
		// and end are noted, see held-connection.ts).
		const sql = trackHeldConnection(
			postgres({
				...common,
				host: served.host,
				port: served.port,
				database: 'postgres',
				username: 'postgres',
				max: 1
			}) as unknown as Sql
		);
		try {
			await sql`select 1`;
		} catch (e) {
			await served.stop();
			throw e;
		}
		let closing: Promise<void> | undefined;
		return {
			sql,
			kind: 'pglite',
			where: dataDir,
			close: () =>
				(closing ??= (async () => {
					try {
						await sql.end({ timeout: 5 });
						await served.stop();
					} finally {
						lock?.release();
					}
				})())
		};
	} catch (e) {
		lock?.release();
		throw e;
	}
}

/** How long close() waits for the worker to stop its server and close PGlite before ending it. */
const PGLITE_STOP_TIMEOUT_MS = 15_000;

/**
 * Starts PGlite and its socket server in a worker thread (pglite-worker.ts), so that its queries
 * run there and not on this thread's event loop; resolves with the server's address once it
 * listens. A failure to open (a damaged directory, say) rejects with the worker's error. Once it
 * runs, a worker that ends other than through stop() ends this process too, loudly (an uncaught
 * error): every query would fail from then on, and a restart is the way back.
 */
async function startPgliteWorker(dataDir: string): Promise<{ host: string; port: number; stop(): Promise<void> }> {
	const { Worker } = await import('node:worker_threads');
	const { workerUrl } = await import('./pglite-worker');
	const { filename, workerData } = workerFile(workerUrl);
	const data: PgliteWorkerData & typeof workerData = { ...workerData, pgliteDataDir: dataDir };
	const worker = new Worker(new URL(filename), { workerData: data });
	const fail = (what: string, e?: PlainError | Error) =>
		Object.assign(new Error(`PGlite (${dataDir}) ${what}${e ? `: ${e.message}` : ''}`), e?.stack ? { cause: e } : {});

	let lastError: Error | undefined;
	let stopping = false;
	const onError = (e: Error) => (lastError = e);
	worker.on('error', onError);
	let onMessage: (m: FromPgliteWorker) => void = () => {};
	let onExit: (code: number) => void = () => {};
	const address = await new Promise<{ host: string; port: number }>((ok, reject) => {
		onMessage = (m) => {
			if (m.type === 'ready') ok({ host: m.host, port: m.port });
			else if (m.type === 'failed') reject(fail('could not be opened', m.error));
		};
		onExit = (code) => reject(fail(`stopped while opening (worker exit code ${code})`, lastError));
		worker.on('message', onMessage);
		worker.once('exit', onExit);
	})
		.catch(async (e: unknown) => {
			await worker.terminate();
			throw e;
		})
		.finally(() => {
			worker.off('message', onMessage);
			worker.off('exit', onExit);
		});

	const exited = new Promise<number>((ok) => worker.once('exit', ok));
	void exited.then((code) => {
		if (stopping) return;
		// nobody awaits this: an uncaught error, so the process ends rather than answer every
		// request with a connection error (or hang)
		process.nextTick(() => {
			throw fail(`worker thread ended unexpectedly (exit code ${code})`, lastError);
		});
	});

	return {
		...address,
		async stop() {
			if (stopping) return;
			stopping = true;
			const stopped = new Promise<FromPgliteWorker & { type: 'stopped' }>((ok) =>
				worker.on('message', (m: FromPgliteWorker) => m.type === 'stopped' && ok(m))
			);
			const stop: ToPgliteWorker = { type: 'stop' };
			worker.postMessage(stop);
			let timer: NodeJS.Timeout | undefined;
			const outcome = await Promise.race([
				stopped,
				exited.then(() => 'exited' as const),
				new Promise<'timeout'>((ok) => (timer = setTimeout(() => ok('timeout'), PGLITE_STOP_TIMEOUT_MS)))
			]);
			clearTimeout(timer);
			await worker.terminate();
			if (outcome === 'timeout') throw fail(`did not close within ${PGLITE_STOP_TIMEOUT_MS / 1000} s`);
			if (outcome === 'exited') throw fail('worker thread ended while closing', lastError);
			if (outcome.error) throw fail('did not close cleanly', outcome.error);
		}
	};
}

/** Hide the password of a connection URL before it reaches a log line. */
export function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(unparseable DATABASE_URL)';
	}
}

/**
 * Whether the server takes `COPY … FROM STDIN`: a real PostgreSQL does; PGlite's single backend,
 * served over its socket, drops the connection on the COPY sub-protocol. Asked once per client
 * (pass the pool: every transaction is a new object); a failed question is asked again next time.
 */
const copyAnswers = new WeakMap<object, Promise<boolean>>();
export function acceptsCopy(sql: Sql): Promise<boolean> {
	let answer = copyAnswers.get(sql);
	if (!answer) {
		answer = sql`select version() as v`.then(([r]) => !String(r!.v).includes('PGlite'));
		copyAnswers.set(sql, answer);
		answer.catch(() => copyAnswers.delete(sql));
	}
	return answer;
}

/**
 * Runs `fn` in a transaction: a new one on a connection pool, a savepoint when `sql` is already a
 * transaction (the demo seed writes a round's route inside its own transaction).
 */
export function transaction<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
	const inner = sql as unknown as { savepoint?: (f: (tx: Sql) => Promise<T>) => Promise<T> };
	if (typeof inner.savepoint === 'function') return inner.savepoint(fn);
	return sql.begin((tx) => fn(tx as unknown as Sql)) as Promise<T>;
}
