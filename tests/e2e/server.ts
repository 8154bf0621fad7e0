// Starts the built app (`node build`, adapter-node) for browser tests and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createScratchDatabase } from '../helpers/pg-database';

export interface AppServer {
	baseURL: string;
	kind: 'pglite' | 'postgres';
	logFile: string;
	/** The server process (the fault tests signal it). */
	child: ChildProcess;
	stop(): Promise<void>;
}

export interface StartOptions {
	/**
	 * Admin URL of a real PostgreSQL server. A fresh database `oa_e2e_<random>` is created there
	 * for this run and dropped afterwards. Without it the app uses embedded PGlite in a temp dir.
	 */
	adminDatabaseUrl?: string;
	/** How long to wait for GET /login to answer 200 (first start migrates and seeds). */
	readyTimeoutMs?: number;
	logFile?: string;
	/** Use this database as it is and keep it (the fault tests restart a server on it). */
	databaseUrl?: string;
	/** Use this PGlite directory and keep it. */
	pgliteDir?: string;
	/** More environment for the server. */
	env?: Record<string, string>;
	/** Node options for the server process (e.g. --cpu-prof), which NODE_OPTIONS cannot all carry. */
	nodeArgs?: string[];
}

export async function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', fail);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => ok(port));
		});
	});
}

export async function startAppServer(opts: StartOptions = {}): Promise<AppServer> {
	const root = process.cwd();
	// E2E_BUILD_DIR: a copy of build/ to run, so a rebuild during the run cannot pull files
	// from under the server (the copy needs node_modules and {"type":"module"} beside it).
	const buildDir = resolve(root, process.env.E2E_BUILD_DIR || 'build');
	if (!existsSync(resolve(buildDir, 'index.js'))) {
		throw new Error(`${buildDir}/index.js is missing: run \`npm run build\` before the browser tests`);
	}
	// Started the way the README starts it (npm run serve): scripts/serve.js, with no ORIGIN, so
	// the browser tests also cover plain-http sign-in and the upload limit defaults.
	const entry = resolve(root, 'scripts', 'serve.js');

	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const logFile = opts.logFile ?? resolve(root, 'test-results', opts.adminDatabaseUrl ? 'e2e-server-postgres.log' : 'e2e-server.log');
	mkdirSync(resolve(logFile, '..'), { recursive: true });

	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		BASEMAP_STYLE_URL: 'none', // no internet here: plain background, no tile requests
		E2E_BUILD_DIR: buildDir
	};
	delete env.ORIGIN;
	delete env.PROTOCOL_HEADER;
	delete env.BODY_SIZE_LIMIT;
	delete env.DATABASE_URL;
	delete env.PGLITE_DIR;

	Object.assign(env, opts.env);
	const cleanups: Array<() => Promise<void>> = [];
	let kind: AppServer['kind'];
	if (opts.databaseUrl) {
		kind = 'postgres';
		env.DATABASE_URL = opts.databaseUrl;
	} else if (opts.pgliteDir) {
		kind = 'pglite';
		env.PGLITE_DIR = opts.pgliteDir;
	} else if (opts.adminDatabaseUrl) {
		kind = 'postgres';
		const scratch = await createScratchDatabase(opts.adminDatabaseUrl, 'oa_e2e');
		env.DATABASE_URL = scratch.url;
		cleanups.push(scratch.drop);
	} else {
		kind = 'pglite';
		const dir = mkdtempSync(join(tmpdir(), 'oa-e2e-pglite-'));
		env.PGLITE_DIR = dir;
		cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
	}

	const log = createWriteStream(logFile, { flags: opts.databaseUrl || opts.pgliteDir ? 'a' : 'w' });
	const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.pipe(log, { end: false });
	child.stderr!.pipe(log, { end: false });
	// Never leave the server behind, even when the test process dies.
	const killOnExit = () => child.kill('SIGKILL');
	process.on('exit', killOnExit);

	const stop = async () => {
		process.off('exit', killOnExit);
		await killChild(child);
		log.end();
		for (const c of cleanups.reverse()) await c().catch((e) => console.error('e2e cleanup:', e));
	};

	try {
		await waitForReady(baseURL, child, logFile, opts.readyTimeoutMs ?? 180_000);
	} catch (e) {
		await stop();
		throw e;
	}
	return { baseURL, kind, logFile, child, stop };
}

async function waitForReady(baseURL: string, child: ChildProcess, logFile: string, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer yet';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`app server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`);
		}
		try {
			// /api/meta needs a session now; the public login page answers once the server (and
			// its database: migrations and demo seed run before it listens) is ready.
			const res = await fetch(`${baseURL}/login`, { signal: AbortSignal.timeout(15_000) });
			if (res.status === 200) return;
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = (e as Error).message;
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`app server not ready after ${timeoutMs / 1000} s (last: ${last}):\n${tail(logFile)}`);
}

async function killChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

function tail(file: string, lines = 40): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no server log)';
	}
}
