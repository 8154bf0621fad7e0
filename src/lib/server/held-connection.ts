// PGlite serves every query over one connection (db.ts), so a transaction (a contacts import of a
// minute) owns it until it ends and no other statement runs meanwhile: the committed state of the
// database cannot change before that transaction's COMMIT. So what the transaction reads first,
// before it writes anything, stays what every other request would read until it ends. A HeldMemo
// uses that: at the start of each transaction it reads the values of the keys asked for recently
// (the sessions of the users at work, sessions.ts) and serves them while the transaction runs;
// cached map answers are then served during an import without waiting for the connection.
import type { Sql } from './db';

interface HeldState {
	/** The running transaction's number; null while no transaction holds the connection. */
	holder: number | null;
	started: number;
	memos: Set<HeldMemo<unknown>>;
}

const states = new WeakMap<object, HeldState>();

/**
 * `sql` with its transactions noted (for a client with one connection, i.e. PGlite). The mark is
 * cleared when the transaction's work ends, before its COMMIT is sent: a request arriving then
 * reads the database, queued behind the COMMIT, and sees what it wrote.
 */
export function trackHeldConnection(sql: Sql): Sql {
	const state: HeldState = { holder: null, started: 0, memos: new Set() };
	const begin = (...args: unknown[]) => {
		const work = args.pop() as (tx: Sql) => unknown;
		const run = async (tx: Sql) => {
			const holder = ++state.started;
			for (const memo of state.memos) await memo.load(tracked, tx, holder);
			state.holder = holder;
			try {
				return await work(tx);
			} finally {
				state.holder = null;
			}
		};
		return (sql.begin as (...a: unknown[]) => Promise<unknown>)(...args, run);
	};
	const tracked = new Proxy(sql, { get: (target, prop) => (prop === 'begin' ? begin : Reflect.get(target, prop)) });
	states.set(tracked, state);
	return tracked;
}

/** The number of the transaction holding the connection of a tracked `sql`, else null. */
export function heldBy(sql: Sql): number | null {
	return states.get(sql)?.holder ?? null;
}

interface MemoOfDatabase<V> {
	/** Keys asked for recently, oldest first. */
	keys: Map<string, true>;
	/** The transaction the values were read in. */
	holder: number;
	values: Map<string, { value: V; validUntilMs: number }>;
	/** Reads queued for the connection (readOrHeld). */
	waiters: Set<{ key: string; found: (value: V) => void }>;
}

export type HeldLoader<V> = (tx: Sql, keys: string[]) => Promise<Map<string, { value: V; validUntilMs: number }>>;

/**
 * Values of recently asked keys (at most `maxKeys`, the oldest forgotten first), read by `loader`
 * at the start of each transaction on a tracked database and served only while that transaction
 * holds the connection (and each before its `validUntilMs`). On other databases it keeps nothing.
 */
export class HeldMemo<V> {
	private readonly byDatabase = new WeakMap<object, MemoOfDatabase<V>>();

	constructor(
		private readonly loader: HeldLoader<V>,
		private readonly maxKeys = 1000
	) {}

	/** Remembers that `key` was asked for, so that the next transaction reads its value first. */
	note(sql: Sql, key: string): void {
		const state = states.get(sql);
		if (!state) return;
		state.memos.add(this as HeldMemo<unknown>);
		let db = this.byDatabase.get(sql);
		if (!db) this.byDatabase.set(sql, (db = { keys: new Map(), holder: 0, values: new Map(), waiters: new Set() }));
		db.keys.delete(key);
		db.keys.set(key, true);
		if (db.keys.size > this.maxKeys) db.keys.delete(db.keys.keys().next().value!);
	}

	/** The value of `key` as the transaction holding the connection read it at its start. */
	get(sql: Sql, key: string, nowMs: number): V | undefined {
		const holder = heldBy(sql);
		const db = this.byDatabase.get(sql);
		if (holder === null || !db || db.holder !== holder) return undefined;
		const e = db.values.get(key);
		return e && e.validUntilMs > nowMs ? e.value : undefined;
	}

	/**
	 * A read of `key` already queued for the connection when a transaction takes it waits for
	 * that whole transaction: `read` is raced against the value that transaction reads at its
	 * start (current then, and later than the request's start). The losing read is ignored.
	 */
	async readOrHeld<R>(sql: Sql, key: string, read: Promise<R>, fromHeld: (value: V) => R): Promise<R> {
		const db = this.byDatabase.get(sql);
		if (!db) return read;
		let waiter: { key: string; found: (value: V) => void } | undefined;
		const held = new Promise<R>((resolve) => db.waiters.add((waiter = { key, found: (v) => resolve(fromHeld(v)) })));
		read.catch(() => {}); // when the held value wins, a failure of the read is nobody's
		try {
			return await Promise.race([read, held]);
		} finally {
			db.waiters.delete(waiter!);
		}
	}

	/** Reads the values inside transaction `holder`, before its work; a failure only leaves them unread. */
	async load(sql: Sql, tx: Sql, holder: number): Promise<void> {
		const db = this.byDatabase.get(sql);
		if (!db) return;
		db.values = new Map();
		if (db.keys.size === 0) return;
		const keys = [...db.keys.keys()];
		try {
			// a savepoint, so that a failed read does not abort the caller's transaction
			const inner = tx as unknown as { savepoint: (f: (t: Sql) => Promise<unknown>) => Promise<unknown> };
			await inner.savepoint(async (t) => (db.values = await this.loader(t, keys)));
			db.holder = holder;
			for (const w of db.waiters) {
				const e = db.values.get(w.key);
				if (e && e.validUntilMs > Date.now()) w.found(e.value);
			}
		} catch (e) {
			db.values = new Map();
			console.error(`reading values for the transaction's duration: ${(e as Error).message}`);
		}
	}
}
