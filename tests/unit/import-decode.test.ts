import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { createDecoder, decodeBytes, detectEncoding, scanUtf8 } from '../../src/lib/domain/import/decode';

const utf8 = (s: string) => new TextEncoder().encode(s);
const cp1252 = (s: string) => new Uint8Array(iconv.encode(s, 'windows-1252'));
const BOM = [0xef, 0xbb, 0xbf];

/** Feeds bytes in pieces of the given sizes (cycled) and joins the output. */
function decodeInPieces(bytes: Uint8Array, sizes: number[], opts?: Parameters<typeof createDecoder>[0]) {
	const d = createDecoder(opts);
	let out = '';
	let i = 0;
	let k = 0;
	while (i < bytes.length) {
		const size = Math.max(1, sizes[k++ % sizes.length]!);
		out += d.write(bytes.subarray(i, i + size));
		i += size;
	}
	out += d.end();
	return { text: out, decoder: d };
}

describe('scanUtf8', () => {
	it('accepts valid text and flags the first invalid byte', () => {
		expect(scanUtf8(utf8('Geïsoleerde ouderen €'))).toEqual({ invalidAt: -1, multiByte: true });
		expect(scanUtf8(cp1252('café au lait')).invalidAt).toBe(3);
		expect(scanUtf8(cp1252('café'), true).invalidAt).toBe(3);
	});
	it('treats a sequence cut at the end as pending unless final', () => {
		const cut = utf8('é').subarray(0, 1);
		expect(scanUtf8(cut, false).invalidAt).toBe(-1);
		expect(scanUtf8(cut, true).invalidAt).toBe(0);
	});
	it('rejects overlong encodings and surrogates', () => {
		expect(scanUtf8(new Uint8Array([0xc0, 0xaf])).invalidAt).toBe(0);
		expect(scanUtf8(new Uint8Array([0xed, 0xa0, 0x80])).invalidAt).toBe(0);
	});
});

describe('detectEncoding', () => {
	it('UTF-8 with BOM', () => {
		expect(detectEncoding(new Uint8Array([...BOM, 0x41]))).toEqual({ encoding: 'utf-8', bom: true, certain: true });
	});
	it('Windows-1252 é/ë/€ is not valid UTF-8', () => {
		expect(detectEncoding(cp1252('Datum;Thema\n14/03/2026;Basisbehoeften (eten, hygiëne) € 5'))).toEqual({
			encoding: 'windows-1252',
			bom: false,
			certain: true
		});
	});
	it('UTF-8 without BOM', () => {
		expect(detectEncoding(utf8('Geïsoleerde ouderen'))).toMatchObject({ encoding: 'utf-8', certain: true });
	});
	it('pure ASCII is undecided', () => {
		expect(detectEncoding(utf8('a;b;c\n1;2;3\n')).certain).toBe(false);
	});
	it('UTF-16LE with BOM (Excel "Unicode text")', () => {
		expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0x00])).encoding).toBe('utf-16le');
	});
});

describe('createDecoder', () => {
	const text = 'Datum;Doelgroep;Opmerking\n14/03/2026;Geïsoleerde ouderen;café € 5, hygiëne\n';

	it('decodes Windows-1252 (é, ë, ï, €) in any chunking', () => {
		const bytes = cp1252(text);
		for (const sizes of [[1], [2, 3], [7], [1000]]) {
			const { text: out, decoder } = decodeInPieces(bytes, sizes, { sniffBytes: 16 });
			expect(out).toBe(text);
			expect(decoder.encoding).toBe('windows-1252');
		}
	});

	it('strips and reports a UTF-8 BOM, even when chunks split characters', () => {
		const bytes = new Uint8Array([...BOM, ...utf8(text)]);
		const { text: out, decoder } = decodeInPieces(bytes, [1, 2], { sniffBytes: 8 });
		expect(out).toBe(text);
		expect(decoder.bom).toBe(true);
		expect(decoder.encoding).toBe('utf-8');
	});

	it('commits late when the head is ASCII: a Windows-1252 é after the sniff window', () => {
		const head = 'a;b\n'.repeat(50);
		const bytes = cp1252(head + 'café;ë\n');
		const { text: out, decoder } = decodeInPieces(bytes, [13], { sniffBytes: 32 });
		expect(out).toBe(head + 'café;ë\n');
		expect(decoder.encoding).toBe('windows-1252');
	});

	it('commits late to UTF-8 when the first non-ASCII sequence is split across chunks', () => {
		const head = 'a;b\n'.repeat(50);
		const bytes = utf8(head + 'café;ë\n');
		const { text: out, decoder } = decodeInPieces(bytes, [1], { sniffBytes: 32 });
		expect(out).toBe(head + 'café;ë\n');
		expect(decoder.encoding).toBe('utf-8');
	});

	it('counts replacement characters in a mixed file instead of guessing', () => {
		const bytes = new Uint8Array([...utf8('é;'.repeat(40)), ...cp1252('ë\n')]);
		const { text: out, decoder } = decodeInPieces(bytes, [16], { sniffBytes: 32 });
		expect(decoder.encoding).toBe('utf-8');
		expect(decoder.replacements).toBe(1);
		expect(out.endsWith('\ufffd\n')).toBe(true);
	});

	it('explicit encoding overrides detection', () => {
		expect(decodeBytes(utf8('Ã©'), 'utf-8').text).toBe('Ã©');
		expect(decodeBytes(utf8('é'), 'windows-1252').text).toBe('Ã©');
	});

	it('decodes UTF-16LE with BOM', () => {
		const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from('a\tb\né\n', 'utf16le'))]);
		expect(decodeBytes(bytes)).toEqual({ text: 'a\tb\né\n', encoding: 'utf-16le', bom: true });
	});

	it('decodes UTF-16BE with BOM (FE FF), also when chunks split its code units', () => {
		const text = 'Datum;Thema\nélan;€ 5\n';
		const be = Buffer.from(text, 'utf16le').swap16();
		const bytes = new Uint8Array([0xfe, 0xff, ...be]);
		expect(detectEncoding(bytes)).toEqual({ encoding: 'utf-16be', bom: true, certain: true });
		expect(decodeBytes(bytes)).toEqual({ text, encoding: 'utf-16be', bom: true });
		const r = decodeInPieces(bytes, [1, 3], { sniffBytes: 5 });
		expect(r.text).toBe(text);
		expect(r.decoder.encoding).toBe('utf-16be');
	});

	// € and ’ are left out: in Windows-1252 they are 0x80/0x92, UTF-8 continuation bytes, so "É€"
	// happens to be valid UTF-8. No detector can tell those apart; real Dutch text does not do it.
	it('property: any text survives UTF-8 and Windows-1252 round trips in random chunking', () => {
		const latin = fc.string({ unit: fc.constantFrom(...'abcXYZ;,"\n 0123éëïÉèàçô'.split('')), maxLength: 300 });
		fc.assert(
			fc.property(latin, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), (s, sizes) => {
				expect(decodeInPieces(utf8(s), sizes, { sniffBytes: 24 }).text).toBe(s);
				const r = decodeInPieces(cp1252(s), sizes, { sniffBytes: 24 });
				expect(r.text).toBe(s);
			})
		);
	});
});
