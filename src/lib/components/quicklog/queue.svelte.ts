// The quick log's on-device queue: durable storage plus the sending loop. The rules (what an
// answer means, when an entry leaves the queue) are the pure functions of domain/quick-log.ts.
//
// Storage is localStorage, not IndexedDB, on purpose:
// - it is synchronous: when save() returns, the entry is on disk, before any request starts and
//   even if the tab is killed a moment later; with IndexedDB the write is a transaction that
//   completes later, and a crash in between loses the contact;
// - each change is a read-modify-write of the whole queue inside one task, so two open tabs
//   never overwrite each other's entries;
// - entries are ~300 bytes, so even a week offline (hundreds of contacts) stays far below the
//   ~5 MB quota; the 'storage' event keeps other tabs' views in step for free.
// IndexedDB would be needed for large data or for Background Sync from the service worker, which
// only Chromium offers; retrying from the page (online event, page load, every 30 s) works in
// every browser.
//
// The queue is kept per account (key suffix: the user's email, unique across organisations), so
// entries logged by one worker are never sent under another worker's session on a shared phone.
import {
	applyOutcome,
	classifyResponse,
	continueAfter,
	discard,
	enqueue,
	invalidCount,
	networkFailure,
	parseStoredQueue,
	pendingCount,
	RETRY_INTERVAL_MS,
	sendable,
	type QueueEntry,
	type QuickLogPayload,
	type SendOutcome
} from '$lib/domain/quick-log';
import { apiCall } from '$lib/api/client';
import { contacts } from '$lib/api/field';

const PREFIX = 'outreach-atlas.quicklog.queue.v1:';
const SEND_TIMEOUT_MS = 20_000;
const LOCK = 'outreach-atlas.quicklog.send';

interface LockManagerLike {
	request<T>(name: string, cb: () => Promise<T>): Promise<T>;
}

export class QuickLogQueue {
	entries = $state.raw<QueueEntry[]>([]);
	sending = $state(false);
	/** false when this device refused to store the queue (private mode, full): entries live in memory only. */
	durable = $state(true);
	/** Uuids acknowledged by the server since the page opened (each one at most once). */
	acknowledged = $state(0);

	readonly pending = $derived(pendingCount(this.entries));
	readonly invalid = $derived(invalidCount(this.entries));

	private readonly key: string;
	private inflight: Promise<void> | null = null;

	constructor(account: string) {
		this.key = PREFIX + account.toLowerCase();
		this.entries = this.read();
	}

	private read(): QueueEntry[] {
		if (!this.durable) return this.entries;
		let text: string | null;
		try {
			text = localStorage.getItem(this.key);
		} catch {
			this.durable = false;
			return this.entries;
		}
		const { queue, unreadable } = parseStoredQueue(text);
		if (unreadable.length) {
			// Never drop what we cannot read: keep it aside for a person to look at.
			try {
				const aside = this.key + ':unreadable';
				const kept = JSON.parse(localStorage.getItem(aside) ?? '[]') as unknown[];
				localStorage.setItem(aside, JSON.stringify([...kept, ...unreadable]));
				localStorage.setItem(this.key, JSON.stringify(queue));
			} catch {
				/* leave the stored text as it is */
			}
		}
		return queue;
	}

	/** One read-modify-write of the stored queue, within a single task. */
	private mutate(change: (q: QueueEntry[]) => QueueEntry[]): QueueEntry[] {
		const next = change(this.read());
		if (this.durable) {
			try {
				localStorage.setItem(this.key, JSON.stringify(next));
			} catch {
				this.durable = false;
			}
		}
		this.entries = next;
		return next;
	}

	/** Stores the entry (before anything is sent). Returns whether it is on the device's disk. */
	add(payload: QuickLogPayload): boolean {
		this.mutate((q) => enqueue(q, payload, Date.now()));
		return this.durable;
	}

	remove(externalId: string) {
		this.mutate((q) => discard(q, externalId));
	}

	find(externalId: string): QueueEntry | undefined {
		return this.entries.find((e) => e.payload.externalId === externalId);
	}

	/** Another tab changed the stored queue. */
	reload() {
		this.entries = this.read();
	}

	/**
	 * Sends pending entries one by one, oldest first, re-reading the queue after each answer (so
	 * an entry saved meanwhile goes along). Stops at the first network or sign-in failure. A call
	 * while a run is going joins that run.
	 */
	flush(): Promise<void> {
		if (this.inflight) return this.inflight;
		this.inflight = (async () => {
			this.sending = true;
			try {
				const locks = (navigator as Navigator & { locks?: LockManagerLike }).locks;
				// One sender across this browser's tabs; the server's uuid check covers the rest.
				if (locks) await locks.request(LOCK, () => this.run());
				else await this.run();
			} finally {
				this.sending = false;
				this.inflight = null;
			}
		})();
		return this.inflight;
	}

	private async run() {
		const tried = new Set<string>();
		for (;;) {
			const entry = sendable(this.read()).find((e) => !tried.has(e.payload.externalId));
			if (!entry) return;
			const id = entry.payload.externalId;
			tried.add(id);
			const outcome = await send(entry.payload);
			let acked = false;
			this.mutate((q) => {
				const r = applyOutcome(q, id, outcome, Date.now());
				acked = r.acked;
				return r.queue;
			});
			if (acked) this.acknowledged++;
			if (!continueAfter(outcome)) return;
		}
	}

	/** Retries on reconnect, on return to the tab, and every 30 s while something waits. */
	start(): () => void {
		const kick = () => {
			if (this.pending > 0 && navigator.onLine !== false) void this.flush();
		};
		const onStorage = (e: StorageEvent) => {
			if (e.key === this.key) this.reload();
		};
		const onVisible = () => {
			if (document.visibilityState === 'visible') kick();
		};
		window.addEventListener('online', kick);
		window.addEventListener('storage', onStorage);
		document.addEventListener('visibilitychange', onVisible);
		const timer = setInterval(kick, RETRY_INTERVAL_MS);
		kick();
		return () => {
			window.removeEventListener('online', kick);
			window.removeEventListener('storage', onStorage);
			document.removeEventListener('visibilitychange', onVisible);
			clearInterval(timer);
		};
	}
}

async function send(payload: QuickLogPayload): Promise<SendOutcome> {
	let res: { status: number; body: unknown };
	try {
		// the answer as it came (a broken body is null, not an acknowledgement): the queue tells statuses apart
		res = await apiCall(contacts, {
			body: payload,
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
			init: { credentials: 'same-origin', cache: 'no-store' }
		});
	} catch (e) {
		return networkFailure(e);
	}
	return classifyResponse(res.status, res.body);
}
