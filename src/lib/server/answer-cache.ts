// The server's cache of the map's aggregate answers (hexes, underserved zones, hotspots, services,
// areas), in this process, bounded by entries and bytes (least recently used goes first).
//
// An answer is cached under (endpoint, organisation, role, the settings it depends on, the
// normalised question, the organisation's data version). The data version changes in the same
// transaction as every write to the organisation's contacts, areas, services or signals
// (migrations/0010_data_version.sql) and is read with the session (resolveSessionContext), so a
// cached answer is never served after a write committed before the request began. The role is
// in the key: an analyst's published answer is never served to another role, nor theirs to an
// analyst.
//
// The browser gets an ETag derived from the key, with `Cache-Control: private, no-cache`: it may
// keep the answer but asks again each time, and gets 304 while nothing changed. Answers over
// 1 KB are sent compressed (brotli or gzip) when the browser accepts it; each encoding is made
// once per cached answer, off the event loop (zlib's thread pool).
//
// ATLAS_CACHE=off turns all of this off (each request computes its answer, as before; for
// benchmarks). ATLAS_CACHE_ENTRIES and ATLAS_CACHE_MB bound the cache (default 1000, 64 MB).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { json, type RequestEvent } from '@sveltejs/kit';
import { version as buildVersion } from '$app/environment';
import type { HexQuery } from '../domain/hex-query';
import type { RequestContext } from './context';
import type { Sql } from './db';
import { db } from './app-db';
import { readerFor } from './read-replica';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Answers smaller than this are sent as they are. */
export const COMPRESS_FROM_BYTES = 1024;
export const CACHE_CONTROL = 'private, no-cache';

type Encoding = 'br' | 'gzip';

interface Entry {
	orgId: number;
	version: bigint;
	body: Buffer;
	encoded: Partial<Record<Encoding, Promise<Buffer>>>;
	bytes: number;
}

export class AnswerCache {
	private readonly entries = new Map<string, Entry>();
	private readonly latest = new Map<number, bigint>();
	private bytes = 0;

	constructor(
		readonly maxEntries: number,
		readonly maxBytes: number
	) {}

	get size(): number {
		return this.entries.size;
	}

	get totalBytes(): number {
		return this.bytes;
	}

	get(key: string): Entry | undefined {
		const e = this.entries.get(key);
		if (!e) return undefined;
		// most recently used last
		this.entries.delete(key);
		this.entries.set(key, e);
		return e;
	}

	/** Stores an answer, unless a newer version of its organisation is known already. */
	set(key: string, e: Entry): void {
		this.seeVersion(e.orgId, e.version);
		if (e.version < (this.latest.get(e.orgId) ?? 0n) || e.bytes > this.maxBytes) return;
		this.delete(key);
		this.entries.set(key, e);
		this.bytes += e.bytes;
		this.evict();
	}

	/** Notes a data version seen with a session: answers of older versions are dropped. */
	seeVersion(orgId: number, version: bigint): void {
		const known = this.latest.get(orgId);
		if (known !== undefined && known >= version) return;
		this.latest.set(orgId, version);
		if (known === undefined) return;
		for (const [k, e] of this.entries) if (e.orgId === orgId && e.version < version) this.delete(k);
	}

	grow(e: Entry, bytes: number): void {
		e.bytes += bytes;
		if ([...this.entries.values()].includes(e)) {
			this.bytes += bytes;
			this.evict();
		}
	}

	clear(): void {
		this.entries.clear();
		this.latest.clear();
		this.bytes = 0;
	}

	private delete(key: string): void {
		const e = this.entries.get(key);
		if (!e) return;
		this.entries.delete(key);
		this.bytes -= e.bytes;
	}

	private evict(): void {
		for (const k of this.entries.keys()) {
			if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
			this.delete(k);
		}
	}
}

const envNumber = (raw: string | undefined, fallback: number) => {
	const n = Number(raw);
	return raw && Number.isFinite(n) && n > 0 ? n : fallback;
};

export const answerCache = new AnswerCache(envNumber(process.env.ATLAS_CACHE_ENTRIES, 1000), envNumber(process.env.ATLAS_CACHE_MB, 64) * 1024 * 1024);

// read once: process.env is a slow getter, and this is asked on every map request
const cacheOff = process.env.ATLAS_CACHE === 'off';

/** Whether answers are cached (ATLAS_CACHE=off at start turns it off, for benchmarks). */
export const cacheEnabled = () => !cacheOff;

/** Computations under way, so that concurrent identical questions run one query. */
const inFlight = new Map<string, Promise<Entry | Response>>();

/** A map question as a cache key part: id lists are sets (the queries use them as such), sorted. */
export function normaliseMapQuestion(q: HexQuery): Record<string, unknown> {
	const set = (xs: number[] | null) => (xs ? [...new Set(xs)].sort((a, b) => a - b) : null);
	return { res: q.res, from: q.from, to: q.to, types: set(q.types), groups: set(q.groups), teams: set(q.teams), bbox: q.bbox };
}

export interface CachedAnswerOptions {
	/** The endpoint's path, e.g. /api/hexes. */
	endpoint: string;
	/** The normalised question: everything the answer depends on besides the organisation's data and role. */
	question: unknown;
	/**
	 * The answer's JSON value, or a Response (an error) that is sent as it is and not cached,
	 * read through `sql`: the read replica when it has caught up, else the primary.
	 */
	compute: (sql: Sql) => Promise<unknown>;
	/** Runs once the request has its answer (cached, computed or 304), before it is sent: the audit. */
	onAnswer?: () => Promise<void>;
}

/**
 * The JSON answer to a request: from the cache when it holds it, else computed (and stored); 304
 * when the browser's copy is current. The organisation's settings an answer depends on (the
 * analysts' threshold k) are part of the key.
 */
export async function cachedAnswer(event: Pick<RequestEvent, 'request' | 'locals'>, ctx: RequestContext, o: CachedAnswerOptions): Promise<Response> {
	const versionText = event.locals.dataVersion;
	if (!cacheEnabled() || versionText === undefined) {
		const value = await o.compute(await readerFor(await db(), ctx.org.orgId, event.locals.dataVersion));
		if (value instanceof Response) return value;
		await o.onAnswer?.();
		return json(value);
	}
	const version = BigInt(versionText);
	const { org, user } = ctx;
	answerCache.seeVersion(org.orgId, version);
	const key = JSON.stringify([o.endpoint, org.orgId, user.role, org.kThreshold, versionText, o.question]);
	const etag = `W/"${createHash('sha256').update(buildVersion).update('\0').update(key).digest('base64url').slice(0, 32)}"`;
	// a plain object: Response copies it into its own Headers (a Headers here would be built twice)
	const headers: Record<string, string> = { etag, 'cache-control': CACHE_CONTROL, vary: 'accept-encoding' };

	if (matches(event.request.headers.get('if-none-match'), etag)) {
		await o.onAnswer?.();
		return new Response(null, { status: 304, headers });
	}

	let entry = answerCache.get(key);
	if (!entry) {
		let pending = inFlight.get(key);
		if (!pending) {
			pending = computeEntry(o, org.orgId, version).then((e) => {
				if (!(e instanceof Response)) answerCache.set(key, e);
				return e;
			});
			const mine = pending;
			inFlight.set(key, mine);
			void mine.then(
				() => inFlight.delete(key),
				() => inFlight.delete(key)
			);
			const first = await mine;
			if (first instanceof Response) return first;
			entry = first;
		} else {
			const shared = await pending;
			// an error answer is not shared (its body can be read once): ask again
			if (shared instanceof Response) {
				const value = await o.compute(await readerFor(await db(), ctx.org.orgId, event.locals.dataVersion));
				if (value instanceof Response) return value;
				entry = makeEntry(value, org.orgId, version);
			} else entry = shared;
		}
	}
	await o.onAnswer?.();

	headers['content-type'] = 'application/json';
	const encoding = entry.body.length >= COMPRESS_FROM_BYTES ? pickEncoding(event.request.headers.get('accept-encoding')) : null;
	let body = entry.body;
	if (encoding) {
		let made = entry.encoded[encoding];
		if (!made) {
			made = encode(entry.body, encoding);
			entry.encoded[encoding] = made;
			const e = entry;
			made.then(
				(b) => answerCache.grow(e, b.length),
				() => delete e.encoded[encoding]
			);
		}
		body = await made;
		headers['content-encoding'] = encoding;
	}
	headers['content-length'] = String(body.length);
	return new Response(body as unknown as BodyInit, { status: 200, headers });
}

async function computeEntry(o: CachedAnswerOptions, orgId: number, version: bigint): Promise<Entry | Response> {
	const value = await o.compute(await readerFor(await db(), orgId, String(version)));
	return value instanceof Response ? value : makeEntry(value, orgId, version);
}

function makeEntry(value: unknown, orgId: number, version: bigint): Entry {
	const body = Buffer.from(JSON.stringify(value));
	return { orgId, version, body, encoded: {}, bytes: body.length + 200 };
}

function encode(body: Buffer, encoding: Encoding): Promise<Buffer> {
	return encoding === 'br'
		? brotli(body, {
				params: {
					[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
					[constants.BROTLI_PARAM_QUALITY]: 5,
					[constants.BROTLI_PARAM_SIZE_HINT]: body.length
				}
			})
		: gzipped(body, { level: 6 });
}

/** Whether If-None-Match names this ETag (weak comparison, as for GET). */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const bare = (t: string) => t.trim().replace(/^W\//, '');
	const mine = bare(etag);
	return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === mine);
}

/** The encoding to send, from Accept-Encoding: brotli, else gzip, else none. */
export function pickEncoding(accept: string | null): Encoding | null {
	if (!accept) return null;
	const q = new Map<string, number>();
	for (const part of accept.toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		q.set(name!.trim(), qp ? Number(qp.slice(2)) || 0 : 1);
	}
	const accepts = (e: string) => (q.get(e) ?? q.get('*') ?? 0) > 0;
	if (accepts('br')) return 'br';
	if (accepts('gzip')) return 'gzip';
	return null;
}
