// One process at a time on an embedded PGlite directory. PGlite runs inside the process that opens
// it, so a second process (say `npm run import` while the dashboard runs) would open its own copy
// of the same files: its writes never reach the first, and whichever closes last overwrites the
// other's. Opening therefore takes `<dataDir>.lock`, created atomically (flag `wx`), holding the
// pid, the command and the start time. A live holder refuses the open; a dead one's lock (kill -9,
// a crash) is taken over with a note. The lock sits beside the directory, not in it: PGlite runs
// initdb on a directory without PG_VERSION and wants it to itself.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

interface LockInfo {
	pid: number;
	command: string;
	started: string;
}

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
	const content = JSON.stringify({ pid: process.pid, command: commandLine(), started: new Date().toISOString() }) + '\n';
	for (let attempt = 0; ; attempt++) {
		let fd: number;
		try {
			fd = openSync(file, 'wx', 0o644);
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const seen = readLock(file);
			if (attempt >= 100) throw new DatabaseLockedError(shown, parseLock(seen ?? '') ?? { pid: 0, command: '', started: '' });
			if (seen === null) continue; // removed meanwhile: try again
			const holder = parseLock(seen);
			if (holder && isAlive(holder.pid)) throw new DatabaseLockedError(shown, holder);
			if (!holder && Date.now() - mtimeOf(file) < 5000) {
				// created a moment ago and not yet written: its owner is most likely still writing
				await new Promise((r) => setTimeout(r, 100));
				continue;
			}
			// Stale: remove it only if nobody replaced it since we read it, then create ours.
			if (readLock(file) === seen) {
				try {
					unlinkSync(file);
					const pid = holder?.pid ?? '?';
					console.warn(`Oude vergrendeling van proces ${pid} (draait niet meer) overgenomen / took over the stale lock of process ${pid} (no longer running): ${shown}`);
				} catch {
					/* another process took it over first; the next attempt sees theirs */
				}
			}
			continue;
		}
		try {
			writeSync(fd, content);
		} finally {
			closeSync(fd);
		}
		break;
	}

	const lock: PgliteLock = {
		release() {
			if (!held.delete(lock)) return;
			if (held.size === 0) unwatch();
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
		return { pid: v.pid!, command: String(v.command ?? ''), started: String(v.started ?? '') };
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
