// Which external ids a file has already used, and with what content: the one thing an import
// keeps per row for the whole file. A Map of strings cost ~150 bytes a row (150 MB for a
// million rows); this open-addressing table keeps a 52-bit hash of the id, a 64-bit hash of the
// content and the row number in typed arrays, ~20 bytes a row at most.
// A collision between two different ids (odds ~n²/2^53: 1e-4 at 1M rows) would report the
// second row as a duplicate of the first: a visible report, never silent data loss.

const EMPTY = -1;

function fnv1a(text: string, seed: number): number {
	let h = seed >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 16777619) >>> 0;
	}
	return h >>> 0;
}

/** 52 bits of two FNV-1a hashes: exact as a double, never negative. */
function idHash(id: string): number {
	return (fnv1a(id, 2166136261) & 0xfffff) * 2 ** 32 + fnv1a(id, 0x9747b28c);
}

export type SeenResult = { kind: 'new' } | { kind: 'same'; first: number } | { kind: 'conflict'; first: number };

const NEW: SeenResult = Object.freeze({ kind: 'new' });

export class SeenIds {
	private keys = new Float64Array(1024).fill(EMPTY);
	private contentHi = new Uint32Array(1024);
	private contentLo = new Uint32Array(1024);
	private rows = new Uint32Array(1024);
	private count = 0;

	/** Records the id on first sight; otherwise says whether the content matches the first. */
	check(id: string, contentKey: string, row: number): SeenResult {
		const key = idHash(id);
		const hi = fnv1a(contentKey, 2166136261);
		const lo = fnv1a(contentKey, 0x9747b28c);
		const mask = this.keys.length - 1;
		let i = (key % 4294967296) & mask;
		for (;;) {
			const k = this.keys[i]!;
			if (k === EMPTY) break;
			if (k === key) {
				const same = this.contentHi[i] === hi && this.contentLo[i] === lo;
				return { kind: same ? 'same' : 'conflict', first: this.rows[i]! };
			}
			i = (i + 1) & mask;
		}
		this.keys[i] = key;
		this.contentHi[i] = hi;
		this.contentLo[i] = lo;
		this.rows[i] = row;
		if (++this.count * 2 > this.keys.length) this.grow();
		return NEW;
	}

	get size(): number {
		return this.count;
	}

	private grow() {
		const { keys, contentHi, contentLo, rows } = this;
		const size = keys.length * 2;
		this.keys = new Float64Array(size).fill(EMPTY);
		this.contentHi = new Uint32Array(size);
		this.contentLo = new Uint32Array(size);
		this.rows = new Uint32Array(size);
		const mask = size - 1;
		for (let j = 0; j < keys.length; j++) {
			const key = keys[j]!;
			if (key === EMPTY) continue;
			let i = (key % 4294967296) & mask;
			while (this.keys[i] !== EMPTY) i = (i + 1) & mask;
			this.keys[i] = key;
			this.contentHi[i] = contentHi[j]!;
			this.contentLo[i] = contentLo[j]!;
			this.rows[i] = rows[j]!;
		}
	}
}

/** The first row and content per external id, kept exactly (a Map: for files far smaller than contacts). */
export function exactSeenIds() {
	const seen = new Map<string, { row: number; key: string }>();
	return {
		check(id: string, contentKey: string, row: number): SeenResult {
			const first = seen.get(id);
			if (!first) {
				seen.set(id, { row, key: contentKey });
				return { kind: 'new' };
			}
			return { kind: first.key === contentKey ? 'same' : 'conflict', first: first.row };
		}
	};
}
