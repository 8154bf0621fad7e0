// Bytes → text for uploaded spreadsheet exports. Belgian exports are UTF-8 (often with a BOM,
// Excel "CSV UTF-8"), Windows-1252 (Excel "CSV (puntkomma)", é ë ï €) or, from Excel's
// "Unicode text", UTF-16LE with a BOM (a few Mac and Java tools write UTF-16BE with one). The
// decision is made on the first bytes so the rest can stream; see createDecoder for what happens
// when the evidence only shows up later.
// Server-side: iconv-lite needs Node's Buffer.
import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** How many bytes the streaming decoder looks at before it commits to an encoding. */
export const SNIFF_BYTES = 64 * 1024;

export interface EncodingGuess {
	encoding: TextEncodingName;
	bom: boolean;
	/** false when only ASCII was seen: both candidates decode it the same, so nothing is lost yet. */
	certain: boolean;
}

interface Utf8Scan {
	/** Offset of the first invalid sequence, or -1. */
	invalidAt: number;
	/** At least one complete multi-byte sequence was seen. */
	multiByte: boolean;
}

/**
 * Validates UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF). A sequence cut off by the
 * end of the buffer is valid unless `final`, because the next chunk may complete it.
 */
export function scanUtf8(bytes: Uint8Array, final = false): Utf8Scan {
	let multiByte = false;
	let i = 0;
	const n = bytes.length;
	while (i < n) {
		const b = bytes[i]!;
		if (b < 0x80) {
			i++;
			continue;
		}
		let need: number;
		let lo = 0x80;
		let hi = 0xbf;
		if (b >= 0xc2 && b <= 0xdf) need = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			if (b === 0xe0) lo = 0xa0;
			if (b === 0xed) hi = 0x9f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			if (b === 0xf0) lo = 0x90;
			if (b === 0xf4) hi = 0x8f;
		} else return { invalidAt: i, multiByte };
		for (let k = 1; k <= need; k++) {
			if (i + k >= n) return final ? { invalidAt: i, multiByte } : { invalidAt: -1, multiByte };
			const c = bytes[i + k]!;
			const min = k === 1 ? lo : 0x80;
			const max = k === 1 ? hi : 0xbf;
			if (c < min || c > max) return { invalidAt: i, multiByte };
		}
		multiByte = true;
		i += need + 1;
	}
	return { invalidAt: -1, multiByte };
}

export function detectEncoding(bytes: Uint8Array, final = false): EncodingGuess {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: true, certain: true };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: true, certain: true };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: true, certain: true };
	const scan = scanUtf8(bytes, final);
	if (scan.invalidAt >= 0) return { encoding: 'windows-1252', bom: false, certain: true };
	return { encoding: 'utf-8', bom: false, certain: scan.multiByte };
}

export interface StreamDecoder {
	write(chunk: Uint8Array): string;
	end(): string;
	/** Undefined until enough bytes were seen (or end() was called). */
	readonly encoding: TextEncodingName | undefined;
	readonly bom: boolean;
	/**
	 * U+FFFD characters produced: invalid UTF-8 after the decoder had committed to UTF-8 because
	 * earlier text held real UTF-8 (a mixed file). Report it; the rows are still readable.
	 */
	readonly replacements: number;
}

type Inner = { write(b: Uint8Array): string; end(): string };

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.length === 0) return b;
	const out = new Uint8Array(a.length + b.length);
	out.set(a, 0);
	out.set(b, a.length);
	return out;
}

function textDecoder(label: 'utf-8' | 'utf-16le' | 'utf-16be'): Inner {
	// ignoreBOM: the BOM is stripped (and reported) by createDecoder itself.
	const d = new TextDecoder(label, { ignoreBOM: true });
	return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

function cp1252(): Inner {
	const d = iconv.getDecoder('windows-1252');
	return {
		write: (b) => d.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
		end: () => d.end() ?? ''
	};
}

const ascii = new TextDecoder('utf-8');

/**
 * Streaming decoder. It buffers up to `sniffBytes`, then commits: BOM → UTF-8/UTF-16LE/BE; any invalid
 * UTF-8 → Windows-1252; valid multi-byte UTF-8 → UTF-8. If the head was pure ASCII it stays
 * undecided and commits at the first non-ASCII sequence further on: the text already emitted is
 * ASCII and identical in both encodings, so a late "é" in a Windows-1252 file is still read right.
 */
export function createDecoder(opts: { encoding?: TextEncodingName; sniffBytes?: number } = {}): StreamDecoder {
	const sniffBytes = opts.sniffBytes ?? SNIFF_BYTES;
	let inner: Inner | undefined;
	let encoding: TextEncodingName | undefined;
	let bom = false;
	let replacements = 0;
	let pending: Uint8Array = new Uint8Array(0);
	let sniffing = true;
	let undecided = false; // only ASCII so far

	const use = (enc: TextEncodingName) => {
		encoding = enc;
		inner = enc === 'windows-1252' ? cp1252() : textDecoder(enc);
		undecided = false;
	};
	const count = (s: string): string => {
		if (encoding === 'utf-8' && s.includes('\ufffd')) replacements += s.split('\ufffd').length - 1;
		return s;
	};

	// Text after the head was pure ASCII: commit at the first sequence that tells.
	const writeUndecided = (bytes: Uint8Array, final: boolean): string => {
		let i = 0;
		while (i < bytes.length && bytes[i]! < 0x80) i++;
		if (i === bytes.length) return ascii.decode(bytes);
		const rest = bytes.subarray(i);
		const scan = scanUtf8(rest, final);
		if (scan.invalidAt < 0 && !scan.multiByte) {
			pending = rest.slice(); // a sequence cut by the chunk boundary: wait for more bytes
			return ascii.decode(bytes.subarray(0, i));
		}
		use(scan.invalidAt >= 0 ? 'windows-1252' : 'utf-8');
		return ascii.decode(bytes.subarray(0, i)) + count(inner!.write(rest));
	};

	const commit = (final: boolean): string => {
		sniffing = false;
		let bytes = pending;
		pending = new Uint8Array(0);
		if (opts.encoding) {
			const seen = detectEncoding(bytes.subarray(0, 3), false);
			if (seen.bom && seen.encoding === opts.encoding) {
				bom = true;
				bytes = bytes.subarray(opts.encoding === 'utf-8' ? 3 : 2);
			}
			use(opts.encoding);
			return count(inner!.write(bytes));
		}
		const guess = detectEncoding(bytes, final);
		bom = guess.bom;
		if (guess.bom) bytes = bytes.subarray(guess.encoding === 'utf-8' ? 3 : 2);
		if (!guess.certain) {
			undecided = true;
			return writeUndecided(bytes, final);
		}
		use(guess.encoding);
		return count(inner!.write(bytes));
	};

	return {
		write(chunk) {
			if (sniffing) {
				pending = concat(pending, chunk);
				return pending.length >= sniffBytes ? commit(false) : '';
			}
			if (undecided) {
				const bytes = concat(pending, chunk);
				pending = new Uint8Array(0);
				return writeUndecided(bytes, false);
			}
			return count(inner!.write(chunk));
		},
		end() {
			let out = sniffing ? commit(true) : '';
			if (undecided) {
				const bytes = pending;
				pending = new Uint8Array(0);
				out += writeUndecided(bytes, true);
				if (undecided) use('utf-8'); // pure ASCII file: call it UTF-8
			}
			return out + (inner ? count(inner.end()) : '');
		},
		get encoding() {
			return encoding;
		},
		get bom() {
			return bom;
		},
		get replacements() {
			return replacements;
		}
	};
}

/** Decodes a whole buffer (tests, previews). */
export function decodeBytes(bytes: Uint8Array, encoding?: TextEncodingName): { text: string; encoding: TextEncodingName; bom: boolean } {
	const d = createDecoder({ encoding });
	const text = d.write(bytes) + d.end();
	return { text, encoding: d.encoding ?? 'utf-8', bom: d.bom };
}
