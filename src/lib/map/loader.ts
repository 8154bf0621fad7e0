// One request at a time for a view that only wants the latest answer: a new request aborts the
// one before, an answer that arrives after a newer request started is dropped, and the status
// says whether the view is loading, ready or failed. Answers may be kept (a small LRU cache) when
// the same key always gives the same answer.

export type LoadStatus = 'loading' | 'ready' | 'failed';

export interface LoaderHooks<T> {
	/** The latest answer (fresh or from the cache). A throw here counts as a failed request. */
	onData: (data: T) => void;
	/** The latest request failed (an aborted one did not: it has no error to show). */
	onError?: (err: unknown) => void;
	/** A request went out (not for a cached answer); onSettle follows exactly once. */
	onStart?: () => void;
	/** A request that went out ended: answered, failed, aborted or dropped. */
	onSettle?: () => void;
	/** The status changed (or was set again). */
	onStatus?: (status: LoadStatus) => void;
	/** How many answers to keep by key; 0 (default) keeps none. */
	cacheSize?: number;
}

export class LatestLoader<T> {
	/** 'loading' until the first answer: there is nothing to show yet. */
	status: LoadStatus = 'loading';
	private current = '';
	private request: AbortController | null = null;
	private readonly cache = new Map<string, T>();

	constructor(private readonly hooks: LoaderHooks<T>) {}

	/**
	 * Ask for `key` (e.g. the request's URL). Nothing happens when it is the key asked for last
	 * (drawn already or on its way) unless `force`; a failed key may be asked again. `force` also
	 * skips the cache. Resolves when this request has ended; it never rejects.
	 */
	async load(key: string, fetchData: (signal: AbortSignal) => Promise<T>, force = false): Promise<void> {
		if (key === this.current && !force) return;
		this.current = key;
		this.request?.abort();
		const hit = force ? undefined : this.cache.get(key);
		if (hit !== undefined) {
			this.request = null;
			this.hooks.onData(hit);
			return this.setStatus('ready');
		}
		const mine = new AbortController();
		this.request = mine;
		this.hooks.onStart?.();
		this.setStatus('loading');
		try {
			const data = await fetchData(mine.signal);
			if (mine.signal.aborted) return;
			this.remember(key, data);
			this.hooks.onData(data);
			this.setStatus('ready');
		} catch (err) {
			if (mine.signal.aborted) return;
			this.current = '';
			this.setStatus('failed');
			this.hooks.onError?.(err);
		} finally {
			if (this.request === mine) this.request = null;
			this.hooks.onSettle?.();
		}
	}

	/** Abort the request on its way, if any (its answer will be dropped; the status stays). */
	abort() {
		this.request?.abort();
	}

	private remember(key: string, data: T) {
		const size = this.hooks.cacheSize ?? 0;
		if (size <= 0) return;
		this.cache.delete(key);
		this.cache.set(key, data);
		if (this.cache.size > size) this.cache.delete(this.cache.keys().next().value!);
	}

	private setStatus(status: LoadStatus) {
		this.status = status;
		this.hooks.onStatus?.(status);
	}
}
