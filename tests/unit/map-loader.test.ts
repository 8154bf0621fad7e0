// The map's cancellable loader: only the latest request counts (a new one aborts the one before,
// a late answer is dropped), failures set the status and allow a retry, and answers can be cached.
import { describe, expect, it } from 'vitest';
import { LatestLoader, type LoadStatus } from '../../src/lib/map/loader';

/** A request the test answers by hand; it rejects when its signal aborts, like fetch. */
function deferred<T>() {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	let signal!: AbortSignal;
	const fetchData = (s: AbortSignal) => {
		signal = s;
		return new Promise<T>((res, rej) => {
			resolve = res;
			reject = rej;
			s.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError')));
		});
	};
	return { fetchData, resolve: (v: T) => resolve(v), reject: (e: unknown) => reject(e), signal: () => signal };
}

function setup(cacheSize = 0) {
	const log: string[] = [];
	const statuses: LoadStatus[] = [];
	const data: string[] = [];
	const errors: unknown[] = [];
	const loader = new LatestLoader<string>({
		cacheSize,
		onStart: () => log.push('start'),
		onSettle: () => log.push('settle'),
		onData: (d) => data.push(d),
		onError: (e) => errors.push(e),
		onStatus: (s) => statuses.push(s)
	});
	return { loader, log, statuses, data, errors };
}

describe('LatestLoader', () => {
	it('loads, then reports the answer and ready', async () => {
		const t = setup();
		expect(t.loader.status).toBe('loading');
		const r = deferred<string>();
		const done = t.loader.load('a', r.fetchData);
		expect(t.statuses).toEqual(['loading']);
		r.resolve('A');
		await done;
		expect(t.data).toEqual(['A']);
		expect(t.loader.status).toBe('ready');
		expect(t.statuses).toEqual(['loading', 'ready']);
		expect(t.log).toEqual(['start', 'settle']);
	});

	it('aborts the request before when a new one starts, and drops its answer', async () => {
		const t = setup();
		const first = deferred<string>();
		const second = deferred<string>();
		const p1 = t.loader.load('a', first.fetchData);
		const p2 = t.loader.load('b', second.fetchData);
		expect(first.signal().aborted).toBe(true);
		expect(second.signal().aborted).toBe(false);
		second.resolve('B');
		await Promise.all([p1, p2]);
		expect(t.data).toEqual(['B']);
		// The aborted request is not a failure.
		expect(t.errors).toEqual([]);
		expect(t.loader.status).toBe('ready');
		expect(t.log).toEqual(['start', 'start', 'settle', 'settle']);
	});

	it('drops a stale answer that arrives after a newer request started', async () => {
		const t = setup();
		// A fetch that ignores its signal and answers late anyway.
		let answerFirst!: (v: string) => void;
		const p1 = t.loader.load('a', () => new Promise<string>((res) => (answerFirst = res)));
		const second = deferred<string>();
		const p2 = t.loader.load('b', second.fetchData);
		second.resolve('B');
		await p2;
		answerFirst('A (stale)');
		await p1;
		expect(t.data).toEqual(['B']);
		expect(t.loader.status).toBe('ready');
	});

	it('ignores the key it was asked for last, unless forced', async () => {
		const t = setup();
		const r = deferred<string>();
		const p = t.loader.load('a', r.fetchData);
		let asked = 0;
		await t.loader.load('a', () => (asked++, Promise.resolve('again')));
		expect(asked).toBe(0);
		expect(r.signal().aborted).toBe(false);
		r.resolve('A');
		await p;
		await t.loader.load('a', () => (asked++, Promise.resolve('forced')), true);
		expect(asked).toBe(1);
		expect(t.data).toEqual(['A', 'forced']);
	});

	it('reports a failure once, as failed, and asks again for the same key', async () => {
		const t = setup();
		const r = deferred<string>();
		const p = t.loader.load('a', r.fetchData);
		const err = new Error('500');
		r.reject(err);
		await p;
		expect(t.errors).toEqual([err]);
		expect(t.loader.status).toBe('failed');
		expect(t.statuses).toEqual(['loading', 'failed']);
		expect(t.log).toEqual(['start', 'settle']);
		// The same key is fetched again (not skipped as "on its way").
		await t.loader.load('a', () => Promise.resolve('A'));
		expect(t.data).toEqual(['A']);
		expect(t.loader.status).toBe('ready');
	});

	it('counts a throw while showing the answer as a failure', async () => {
		const errors: unknown[] = [];
		const loader = new LatestLoader<string>({
			onData: () => {
				throw new Error('draw');
			},
			onError: (e) => errors.push(e)
		});
		await loader.load('a', () => Promise.resolve('A'));
		expect(loader.status).toBe('failed');
		expect(errors).toHaveLength(1);
	});

	it('abort() cancels the request on its way without an error', async () => {
		const t = setup();
		const r = deferred<string>();
		const p = t.loader.load('a', r.fetchData);
		t.loader.abort();
		await p;
		expect(r.signal().aborted).toBe(true);
		expect(t.data).toEqual([]);
		expect(t.errors).toEqual([]);
		expect(t.log).toEqual(['start', 'settle']);
	});

	it('serves a cached answer without a request, and keeps only the latest keys', async () => {
		const t = setup(2);
		let asked = 0;
		const answer = (v: string) => () => (asked++, Promise.resolve(v));
		await t.loader.load('a', answer('A'));
		await t.loader.load('b', answer('B'));
		await t.loader.load('a', answer('A2')); // cached: no request, no start
		expect(asked).toBe(2);
		expect(t.data).toEqual(['A', 'B', 'A']);
		expect(t.log).toEqual(['start', 'settle', 'start', 'settle']);
		// A third answer drops the oldest stored one, a (a cache hit does not make it newer).
		await t.loader.load('c', answer('C'));
		await t.loader.load('a', answer('A3'));
		expect(asked).toBe(4);
		expect(t.data.at(-1)).toBe('A3');
		// A forced load skips the cache.
		await t.loader.load('a', answer('A4'), true);
		expect(t.data.at(-1)).toBe('A4');
		expect(asked).toBe(5);
	});

	it('a cache hit while a request is out aborts it and shows the cached answer', async () => {
		const t = setup(4);
		await t.loader.load('a', () => Promise.resolve('A'));
		const r = deferred<string>();
		const p = t.loader.load('b', r.fetchData);
		expect(t.loader.status).toBe('loading');
		await t.loader.load('a', () => Promise.resolve('not asked'));
		expect(r.signal().aborted).toBe(true);
		expect(t.loader.status).toBe('ready');
		await p;
		expect(t.data).toEqual(['A', 'A']);
		expect(t.errors).toEqual([]);
	});
});
