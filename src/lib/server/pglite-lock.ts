// One process at a time on an embedded PGlite directory. PGlite runs inside the process that opens
// it, so a second process (say `npm run import` while the dashboard runs) would open its own copy
// of the same files: its writes never reach the first, and whichever closes last overwrites the
// other's. Opening therefore takes `<dataDir>.lock`, created atomically (flag `wx`), holding the
// pid, the command and the start time (and on Linux the boot id and the process's start in clock
// ticks, which say exactly which process wrote it). A live holder refuses the open; a stale lock is
// taken over with a note. Stale: its process is gone (kill -9, a crash), or its pid now belongs to
// another process (a container restarts as pid 1 with ./data on a volume; after a reboot any pid
// may be someone else's). The lock sits beside the directory, not in it: PGlite runs initdb on a
// directory without PG_VERSION and wants it to itself.
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

interface LockInfo {
	pid: number;
	command: string;
	started: string;
	/** Linux: /proc/sys/kernel/random/boot_id and /proc/<pid>/stat field 22 of the writer. */
	boot?: string;
	ticks?: number;
}

/** The lock files this process holds now (file → content). On globalThis, not in the module:
 * `vite dev` evaluates modules anew, and the new copy must still know the old copy's locks. */
const HELD_FILES = Symbol.for('outreach-atlas.pglite-lock.held-files');
const heldFiles = ((globalThis as Record<symbol, unknown>)[HELD_FILES] ??= new Map<string, string>()) as Map<string, string>;
/** A takeover gate older than this belongs to a taker that died inside it (it lasts microseconds). */
const GATE_STALE_MS = 30_000;

/** The directory is in use by another live process: `message` is the one line to show (nl / en). */
export class DatabaseLockedError extends Error {
	constructor(
		readonly lockFile: string,
		readonly holder: LockInfo
	) {
		const who = `${holder.pid || '?'} (${holder.command || '?'}, ${holder.started || '?'})`;
		super(
			`De ingebouwde database (${lockFile}) is in gebruik door proces ${who}: stop eerst het dashboard (of dat proces), ` +
				'of zet DATABASE_URL naar een PostgreSQL-server zodat beide hem kunnen delen. / ' +
				`The embedded database (${lockFile}) is in use by process ${holder.pid || '?'}: stop the dashboard (or that process) first, ` +
				'or set DATABASE_URL to a PostgreSQL server so both can share it.'
		);
		this.name = 'DatabaseLockedError';
	}
}

export interface PgliteLock {
	/** Removes the lock file (if it is still ours). Idempotent. */
	release(): void;
}

/** Takes the lock on `dataDir` (an absolute path) or throws DatabaseLockedError. */
export async function lockDataDir(dataDir: string): Promise<PgliteLock> {
	const file = `${dataDir}.lock`;
	const shown = short(file);
	const content =
		JSON.stringify({ pid: process.pid, command: commandLine(), started: new Date().toISOString(), ...processStart(process.pid) }) + '\n';
	for (let attempt = 0, busy = 0; ;) {
		// this process has it open already: a second PGlite on one directory, whatever the file says
		const mine = heldFiles.get(file);
		if (mine !== undefined) throw new DatabaseLockedError(shown, parseLock(mine) ?? { pid: process.pid, command: '', started: '' });
		if (create(file, content)) break;
		const seen = readLock(file);
		if (attempt++ >= 100) throw new DatabaseLockedError(shown, parseLock(seen ?? '') ?? { pid: 0, command: '', started: '' });
		if (seen === null) continue; // removed meanwhile: try again
		const holder = parseLock(seen);
		if (holder && !isStale(holder, file)) throw new DatabaseLockedError(shown, holder);
		if (!holder && Date.now() - mtimeOf(file) < 5000) {
			// created a moment ago and not yet written: its owner is most likely still writing
			await sleep(100);
			continue;
		}
		const took = takeOver(file, seen, content);
		if (took === 'busy') {
			// another process is taking it over right now; a gate left by a dead taker clears in 30 s
			attempt--;
			if (++busy > (2 * GATE_STALE_MS) / 25) throw new DatabaseLockedError(shown, holder ?? { pid: 0, command: '', started: '' });
			await sleep(10 + Math.random() * 30);
			continue;
		}
		if (took) {
			const pid = holder?.pid ?? '?';
			console.warn(
				`Oude vergrendeling van proces ${pid} (draait niet meer) overgenomen / took over the stale lock of process ${pid} (no longer running): ${shown}`
			);
			break;
		}
		// it changed since we read it: look again
	}
	heldFiles.set(file, content);

	const lock: PgliteLock = {
		release() {
			if (!held.delete(lock)) return;
			if (held.size === 0) unwatch();
			if (heldFiles.get(file) === content) heldFiles.delete(file);
			try {
				if (readLock(file) === content) unlinkSync(file);
			} catch {
				/* already gone */
			}
		}
	};
	if (held.size === 0) watch();
	held.add(lock);
	return { release: lock.release };
}

const held = new Set<PgliteLock>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const releaseAll = () => [...held].forEach((l) => l.release());
// A signal nobody else handles ends the process without running 'exit' handlers: release, then
// let the signal do what it would have done. When someone else handles it (adapter-node's
// graceful shutdown), they close the database, which releases the lock.
function onSignal(signal: NodeJS.Signals) {
	if (process.listenerCount(signal) > 1) return;
	releaseAll();
	process.kill(process.pid, signal);
}
function watch() {
	process.on('exit', releaseAll);
	for (const s of SIGNALS) process.on(s, onSignal);
}
function unwatch() {
	process.off('exit', releaseAll);
	for (const s of SIGNALS) process.off(s, onSignal);
}

/** Creates the lock file with our content; false when it exists. */
function create(file: string, content: string): boolean {
	let fd: number;
	try {
		fd = openSync(file, 'wx', 0o644);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw e;
	}
	try {
		writeSync(fd, content);
	} catch (e) {
		closeSync(fd);
		unlinkSync(file);
		throw e;
	}
	closeSync(fd);
	return true;
}

/**
 * Replaces the stale lock whose content was `seen` by ours: true when it is ours now, false when it
 * changed meanwhile (look again), 'busy' when another process is taking it over this moment.
 *
 * Checking the content and then unlinking is not atomic: two takers could both find it stale, one
 * replace it, and the other then unlink that fresh lock and create its own: two holders. So the
 * re-check, the unlink and the create happen inside a gate, `<lock>.takeover`, a directory that
 * mkdir creates atomically or not at all; whoever enters second re-reads the lock, finds the
 * first one's live lock, and is refused. A process that merely creates an absent lock needs no
 * gate: `wx` already lets one of them win. The gate is held only for these synchronous calls
 * (no await), so one older than 30 s was left by a taker that died inside it and is removed;
 * only two processes clearing that same dead gate in the same microseconds could still collide.
 */
function takeOver(file: string, seen: string, content: string): boolean | 'busy' {
	const gate = `${file}.takeover`;
	try {
		mkdirSync(gate);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		if (Date.now() - mtimeOf(gate) > GATE_STALE_MS) {
			try {
				rmdirSync(gate);
			} catch {
				/* someone else cleared it */
			}
		}
		return 'busy';
	}
	try {
		const now = readLock(file);
		if (now === null || now !== seen) return false;
		const holder = parseLock(now);
		if (holder ? !isStale(holder, file) : Date.now() - mtimeOf(file) < 5000) return false;
		unlinkSync(file);
		return create(file, content);
	} finally {
		try {
			rmdirSync(gate);
		} catch {
			/* cleared as stale by another process: nothing left to do */
		}
	}
}

/** Whether the lock's writer is no longer running. */
function isStale(holder: LockInfo, file: string): boolean {
	const own = holder.pid === process.pid;
	if (own && heldFiles.has(file)) return false;
	if (!own && !isAlive(holder.pid)) return true;
	// The pid runs (or is ours): is it the process that wrote the lock?
	const now = processStart(holder.pid);
	if (now && holder.boot && holder.ticks !== undefined) return holder.boot !== now.boot || holder.ticks !== now.ticks;
	// Our pid and no identity to compare: this process holds no lock on it (checked above), so it is
	// a previous run's (a container's app is pid 1 on every start).
	if (own) return true;
	if (!now) return false; // no /proc: a live pid is taken for the holder
	// A lock without identity (an older version wrote it): a process that started after the lock was
	// written is not its writer. 1 s of slack: btime is whole seconds.
	const written = Date.parse(holder.started);
	return startedAtMs(now.ticks) > (Number.isFinite(written) ? written : mtimeOf(file)) + 1000;
}

/** Linux: the boot id and the start of process `pid` in clock ticks since boot; null elsewhere. */
function processStart(pid: number): { boot: string; ticks: number } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// field 2 (the command) is in parentheses and may hold spaces and parentheses itself
		const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]); // field 22: starttime
		const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		return Number.isSafeInteger(ticks) && boot ? { boot, ticks } : null;
	} catch {
		return null;
	}
}

/** Epoch ms of a start in clock ticks since boot. Assumes 100 ticks a second (`getconf CLK_TCK`,
 * USER_HZ: 100 on every mainstream Linux architecture; Node cannot ask sysconf). */
function startedAtMs(ticks: number): number {
	try {
		const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
		return Number.isFinite(btime) ? (btime + ticks / 100) * 1000 : 0;
	} catch {
		return 0;
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readLock(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}

/** The lock's content, or null when it holds none (empty: its writer is still writing, or died doing so). */
function parseLock(text: string): LockInfo | null {
	try {
		const v = JSON.parse(text) as Partial<LockInfo>;
		if (!Number.isInteger(v.pid) || v.pid! <= 0) return null;
		const info: LockInfo = { pid: v.pid!, command: String(v.command ?? ''), started: String(v.started ?? '') };
		if (typeof v.boot === 'string' && Number.isSafeInteger(v.ticks)) Object.assign(info, { boot: v.boot, ticks: v.ticks });
		return info;
	} catch {
		return null;
	}
}

function mtimeOf(file: string): number {
	try {
		return statSync(file).mtimeMs;
	} catch {
		return 0;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: it exists, under another user
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function commandLine(): string {
	const args = process.argv.slice(1).map((a) => (isAbsolute(a) ? short(a) : a));
	const line = args.join(' ');
	return line.length > 120 ? line.slice(0, 119) + '…' : line;
}

/** A path as the user would type it: relative to the working directory when it lies under it. */
function short(path: string): string {
	const r = relative(process.cwd(), path);
	return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}
