// In-process limits on sign-in work, kept in memory (one server process serves the app):
// - per client address: failed sign-ins in a window, so one client cannot try one password on
//   many accounts (the per-account lock in throttle.ts does not see that);
// - global: password verifications per second, so argon2id (19 MiB, tens of ms of CPU each)
//   cannot be used to exhaust the CPU.
// Both are taken synchronously before any await, so a burst of concurrent requests cannot slip
// past them.

/** Failures per key in a fixed window; a key at the limit is refused until its window ends. */
export class WindowCounter {
	private readonly hits = new Map<string, { count: number; resetAt: number }>();

	constructor(
		readonly max: number,
		readonly windowMs: number,
		private readonly now: () => number = Date.now
	) {}

	/** Counts one attempt for `key`; false (and nothing counted) when the key is at its limit. */
	take(key: string): boolean {
		const t = this.now();
		this.prune(t);
		let entry = this.hits.get(key);
		if (!entry || entry.resetAt <= t) {
			entry = { count: 0, resetAt: t + this.windowMs };
			this.hits.set(key, entry);
		}
		if (entry.count >= this.max) return false;
		entry.count++;
		return true;
	}

	/** Gives back an attempt that turned out well (a successful sign-in does not count). */
	give(key: string): void {
		const entry = this.hits.get(key);
		if (entry && entry.count > 0) entry.count--;
	}

	/** Seconds until `key` may try again. */
	retryAfter(key: string): number {
		const entry = this.hits.get(key);
		return entry ? Math.max(1, Math.ceil((entry.resetAt - this.now()) / 1000)) : 1;
	}

	private prune(t: number): void {
		if (this.hits.size < 10_000) return;
		for (const [k, e] of this.hits) if (e.resetAt <= t) this.hits.delete(k);
	}
}

/** A token bucket: `perSecond` tokens a second, at most `burst` saved up. */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		readonly perSecond: number,
		readonly burst: number = perSecond,
		private readonly now: () => number = Date.now
	) {
		this.tokens = burst;
		this.last = now();
	}

	take(): boolean {
		const t = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
		this.last = t;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}

	/** Returns a token that was not used after all. */
	give(): void {
		this.tokens = Math.min(this.burst, this.tokens + 1);
	}
}

export interface LoginLimits {
	perClient: WindowCounter;
	verifications: TokenBucket;
}

function positive(raw: string | undefined, fallback: number): number {
	const n = Number(raw);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** From the environment: LOGIN_CLIENT_MAX_FAILURES (per 15 minutes, default 50), LOGIN_VERIFICATIONS_PER_SECOND (default 20). */
export function loginLimitsFrom(env: NodeJS.ProcessEnv = process.env): LoginLimits {
	const perSecond = positive(env.LOGIN_VERIFICATIONS_PER_SECOND, 20);
	return {
		perClient: new WindowCounter(positive(env.LOGIN_CLIENT_MAX_FAILURES, 50), 15 * 60_000),
		verifications: new TokenBucket(perSecond, perSecond)
	};
}

let shared: LoginLimits | undefined;
/** The server's limits, made on first use. */
export function loginLimits(): LoginLimits {
	return (shared ??= loginLimitsFrom());
}
