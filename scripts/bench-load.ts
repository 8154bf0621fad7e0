// npm run bench:load: the built app under load (issue 11). Run `npm run build` first: this
// script builds nothing. For each database (a throwaway PostgreSQL 15 cluster from
// scripts/pg-cluster.sh, then embedded PGlite) it starts the built app the way the browser tests
// do (tests/e2e/server.ts: scripts/serve.js, demo data), signs in as the demo coordinator and
// drives it with autocannon, for BENCH_SECONDS (default 30) per mix:
//
//   A  50 clients on the default view, GET /api/hexes?res=9
//   B  40 clients on varied questions (bbox, period, resolution; a pool of BENCH_QUESTIONS, default
//      64, drawn at random for each request) + 10 clients on GET /api/underserved?res=9
//   C  B again while a coordinator imports BENCH_IMPORT_ROWS (default 300,000) contacts from a
//      CSV (one committed import, streamed as the browser sends it); says how long the import
//      took and whether it lasted the whole mix
//
// and prints requests/s, p50 and p99 latency, errors (failed requests and non-2xx answers), the
// server's peak RSS and its event-loop delay p99 and max (the server measures it with ATLAS_LOAD_STATS=1;
// see src/lib/server/load-stats.ts). Clients send Accept-Encoding as browsers do.
//
//   BENCH_SECONDS=10 npm run bench:load          shorter mixes
//   BENCH_ONLY=postgres npm run bench:load       one database (postgres | pglite)
//   BENCH_MIXES=AB npm run bench:load            only these mixes (letters of A, B, C; default ABC)
//   ATLAS_CACHE=off npm run bench:load           the server without its answer cache ("before")
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'   node options for the server (a CPU profile
//                                                of the whole run, written when it stops)
//   BENCH_PGPORT=55490                           the throwaway cluster's port (stopped afterwards,
//                                                unless it was running already)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startAppServer, type AppServer } from '../tests/e2e/server';
import { session } from '../tests/faults/helpers';
import { LOAD_STATS_PREFIX } from '../src/lib/server/load-stats';
import { GENT_BBOX } from '../src/lib/server/demo/places';
import { todayInBrussels } from '../src/lib/server/clock';
import { addDays } from '../src/lib/domain/calendar';
import { CONTACTS_CSV_MAPPING, contactsCsvStream } from '../tests/helpers/contacts-csv';

const SECONDS = Number(process.env.BENCH_SECONDS || 30);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS || 64);
const ONLY = process.env.BENCH_ONLY;
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS || 300_000);
const PGPORT = process.env.BENCH_PGPORT || '55490';
const MIXES = (process.env.BENCH_MIXES || 'ABC').toUpperCase();
const HEADERS = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br' };

interface MixResult {
	mix: string;
	requests: number;
	rps: number;
	p50: number;
	p99: number;
	errors: number;
	/** Of the errors: requests without an answer within autocannon's 10 s. */
	timeouts: number;
	peakRssMb: number;
	loopP99Ms: number;
	loopMaxMs: number;
	/** The server's CPU per request (Linux: from /proc), on its request thread and in all its threads. */
	cpuPerRequestMs: { main: number; all: number } | null;
}

/**
 * CPU milliseconds the server has used so far, on its main (request) thread and in all threads,
 * from /proc (Linux; null elsewhere). Unlike the event-loop delay, which counts the time the
 * server waits for a core on a busy machine, this compares runs on a shared machine fairly.
 */
function serverCpuMs(pid: number | undefined): { main: number; all: number } | null {
	if (pid === undefined) return null;
	const ticks = (file: string) => {
		// fields after the command name: utime 14 and stime 15 (clock ticks, 100 a second)
		const f = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
		return (Number(f[11]) + Number(f[12])) * 10;
	};
	try {
		return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`) };
	} catch {
		return null;
	}
}

/** A small deterministic generator, so every run asks the same questions. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** Questions a planner asks while panning: views of Ghent at res 8–10 over a few periods. */
function questionPool(n: number): string[] {
	const rnd = random(11);
	const [w, s, e, north] = GENT_BBOX;
	const today = todayInBrussels();
	const periods: Array<[string, string] | null> = [
		null,
		[addDays(today, -89), today],
		[addDays(today, -29), today],
		[addDays(today, -364 - 365), addDays(today, -365)]
	];
	const spans: Record<number, [number, number]> = { 8: [0.16, 0.08], 9: [0.07, 0.035], 10: [0.03, 0.015] };
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		const res = 8 + (i % 3);
		const [dx, dy] = spans[res]!;
		const x = w + rnd() * Math.max(0, e - w - dx);
		const y = s + rnd() * Math.max(0, north - s - dy);
		const bbox = [x, y, x + dx, y + dy].map((v) => v.toFixed(5)).join(',');
		const period = periods[Math.floor(rnd() * periods.length)];
		const p = new URLSearchParams({ res: String(res) });
		if (period) {
			p.set('from', period[0]);
			p.set('to', period[1]);
		}
		p.set('bbox', bbox);
		out.push(`/api/hexes?${p.toString().replaceAll('%2C', ',')}`);
	}
	return out;
}

/** Runs autocannon instances together; latencies of every response, merged. */
async function drive(base: string, cookie: string, parts: Array<{ connections: number; paths: string[] }>) {
	const times: number[] = [];
	let errors = 0;
	let timeouts = 0;
	let requests = 0;
	const runs = parts.map((part) => {
		const pick = random(part.connections);
		const instance = autocannon({
			url: base,
			connections: part.connections,
			duration: SECONDS,
			headers: { ...HEADERS, cookie },
			requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: part.paths[Math.floor(pick() * part.paths.length)]! }) }]
		});
		instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
			times.push(ms);
			if (status < 200 || status >= 300) errors++;
		});
		return new Promise<autocannon.Result>((ok, fail) => {
			instance.on('done', ok);
			instance.on('error', fail);
		});
	});
	for (const r of await Promise.all(runs)) {
		errors += r.errors; // autocannon's errors include its timeouts
		timeouts += r.timeouts;
		requests += r.requests.total;
	}
	times.sort((a, b) => a - b);
	const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
	return { requests, rps: requests / SECONDS, p50: at(50), p99: at(99), errors, timeouts };
}

/** Asks the server for its stats line (and resets its event-loop histogram). */
function serverStats(server: AppServer): Promise<{ eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; peakRssMb: number }> {
	return new Promise((ok, fail) => {
		let buffer = '';
		const timer = setTimeout(() => {
			server.child.stdout!.off('data', onData);
			fail(new Error('the server printed no load stats: is ATLAS_LOAD_STATS=1 passed, and the build current?'));
		}, 5000);
		const onData = (chunk: Buffer) => {
			buffer += chunk.toString();
			const line = buffer.split('\n').find((l) => l.startsWith(LOAD_STATS_PREFIX));
			if (!line) return;
			clearTimeout(timer);
			server.child.stdout!.off('data', onData);
			ok(JSON.parse(line.slice(LOAD_STATS_PREFIX.length)));
		};
		server.child.stdout!.on('data', onData);
		server.child.kill('SIGUSR2');
	});
}

async function bench(kind: 'postgres' | 'pglite', adminDatabaseUrl?: string): Promise<MixResult[]> {
	console.log(`\n== ${kind}: starting the built app (demo data) ==`);
	const server = await startAppServer({
		adminDatabaseUrl,
		env: { ATLAS_LOAD_STATS: '1' },
		logFile: `test-results/bench-load-${kind}.log`,
		nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean)
	});
	try {
		const cookie = await session(server.baseURL, 'coordinator');
		const mixes: Array<[string, Array<{ connections: number; paths: string[] }>]> = [
			['A default view (50 × /api/hexes?res=9)', [{ connections: 50, paths: ['/api/hexes?res=9'] }]],
			[
				`B varied (40 × ${QUESTIONS} hex questions + 10 × /api/underserved?res=9)`,
				[
					{ connections: 40, paths: questionPool(QUESTIONS) },
					{ connections: 10, paths: ['/api/underserved?res=9'] }
				]
			]
		];
		const results: MixResult[] = [];
		const measure = async (mix: string, parts: Array<{ connections: number; paths: string[] }>) => {
			await serverStats(server); // measure this mix only
			const cpu0 = serverCpuMs(server.child.pid);
			const r = await drive(server.baseURL, cookie, parts);
			const cpu1 = serverCpuMs(server.child.pid);
			const stats = await serverStats(server);
			const cpuPerRequestMs =
				cpu0 && cpu1 && r.requests > 0 ? { main: (cpu1.main - cpu0.main) / r.requests, all: (cpu1.all - cpu0.all) / r.requests } : null;
			const row = {
				mix,
				...r,
				peakRssMb: stats.peakRssMb,
				loopP99Ms: stats.eventLoopDelayP99Ms,
				loopMaxMs: stats.eventLoopDelayMaxMs,
				cpuPerRequestMs
			};
			results.push(row);
			print(kind, row);
		};
		for (const [mix, parts] of mixes) if (MIXES.includes(mix[0]!)) await measure(mix, parts);
		if (!MIXES.includes('C')) return results;

		// C: mix B while an import streams in and commits
		const t0 = performance.now();
		const importing = importContacts(server.baseURL, cookie, IMPORT_ROWS).then((n) => ({ n, seconds: (performance.now() - t0) / 1000 }));
		await measure(`C as B, during an import of ${IMPORT_ROWS.toLocaleString('en')} contacts`, mixes[1]![1]);
		const mixEnded = (performance.now() - t0) / 1000;
		const done = await importing;
		console.log(
			`    the import: ${done.n.toLocaleString('en')} contacts imported in ${done.seconds.toFixed(1)} s ` +
				`(${(done.n / done.seconds).toFixed(0)} rows/s); ${done.seconds >= mixEnded ? 'it lasted the whole mix' : `it ended ${(mixEnded - done.seconds).toFixed(1)} s before the mix did`}`
		);
		return results;
	} finally {
		await server.stop();
	}
}

/** Imports `rows` generated contacts through the import API (commit); the number imported. */
async function importContacts(base: string, cookie: string, rows: number): Promise<number> {
	const source = `bench-load-${Date.now()}`;
	const res = await fetch(
		`${base}/api/imports/contacts?mode=commit&source=${source}&mapping=${encodeURIComponent(JSON.stringify(CONTACTS_CSV_MAPPING))}`,
		{
			method: 'POST',
			headers: { cookie, origin: base, 'content-type': 'text/csv' },
			body: contactsCsvStream(rows),
			duplex: 'half'
		} as RequestInit
	);
	const last = (await res.text()).trim().split('\n').at(-1) ?? '';
	const result = JSON.parse(last) as { type: string; counts?: { imported?: number } };
	if (res.status !== 200 || result.type !== 'result') throw new Error(`the import failed (${res.status}): ${last.slice(0, 300)}`);
	return result.counts?.imported ?? 0;
}

function print(kind: string, r: MixResult) {
	console.log(
		`${kind.padEnd(8)} ${r.mix}\n    ${r.rps.toFixed(0)} req/s (${r.requests} in ${SECONDS} s), p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, ` +
			`errors ${r.errors}${r.timeouts ? ` (${r.timeouts} timed out)` : ''}, server peak RSS ${r.peakRssMb.toFixed(0)} MB, event-loop delay p99 ${r.loopP99Ms.toFixed(1)} ms, max ${r.loopMaxMs.toFixed(1)} ms` +
			(r.cpuPerRequestMs
				? `\n    server CPU per request: ${r.cpuPerRequestMs.main.toFixed(2)} ms on the request thread, ${r.cpuPerRequestMs.all.toFixed(2)} ms in all threads`
				: '')
	);
}

function cluster(action: 'start' | 'stop'): { stdout: string; stderr: string } {
	const r = spawnSync('bash', ['scripts/pg-cluster.sh', action], { env: { ...process.env, PGPORT }, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`pg-cluster.sh ${action} failed:\n${r.stderr}`);
	return r;
}

console.log(`bench:load: ${SECONDS} s per mix; answer cache ${process.env.ATLAS_CACHE === 'off' ? 'OFF' : 'on'}`);
const all: Array<[string, MixResult[]]> = [];
if (!ONLY || ONLY === 'postgres') {
	const started = cluster('start');
	const url = /DATABASE_URL=(\S+)/.exec(started.stdout)?.[1];
	if (!url) throw new Error('pg-cluster.sh printed no DATABASE_URL');
	try {
		all.push(['postgres', await bench('postgres', url)]);
	} finally {
		// a cluster that was running already is someone else's: leave it
		if (!started.stderr.includes('already running')) cluster('stop');
	}
}
if (!ONLY || ONLY === 'pglite') all.push(['pglite', await bench('pglite')]);

console.log('\n== summary ==');
for (const [kind, rows] of all) for (const r of rows) print(kind, r);
