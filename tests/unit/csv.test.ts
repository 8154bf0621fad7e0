// Every CSV the app writes: formula-safe for spreadsheets (CSV injection) and RFC 4180 quoting.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvDocument, csvField, csvLine } from '../../src/lib/domain/csv';

describe('csv cells', () => {
	it('prefixes a cell that a spreadsheet would run as a formula', () => {
		expect(csvField('=HYPERLINK("http://x","y")', ';')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
		expect(csvField('+32 9 123', ';')).toBe("'+32 9 123");
		expect(csvField('-2+3', ';')).toBe("'-2+3");
		expect(csvField('@SUM(A1)', ';')).toBe("'@SUM(A1)");
		expect(csvField('\tcmd', ';')).toBe("'\tcmd");
		expect(csvField('\rcmd', ';')).toBe(`"'\rcmd"`);
	});

	it('leaves plain numbers, ordinary text and empty cells as they are', () => {
		expect(csvField('-3,72', ';')).toBe('-3,72');
		expect(csvField('-0.5', ',')).toBe('-0.5');
		expect(csvField(-4, ';')).toBe('-4');
		expect(csvField('Brugse Poort', ';')).toBe('Brugse Poort');
		expect(csvField(null, ';')).toBe('');
		expect(csvField(undefined, ';')).toBe('');
	});

	it('quotes the separator, quotes and line breaks', () => {
		expect(csvField('a;b', ';')).toBe('"a;b"');
		expect(csvField('a,b', ';')).toBe('a,b');
		expect(csvField('a,b', ',')).toBe('"a,b"');
		expect(csvField('say "hi"', ';')).toBe('"say ""hi"""');
		expect(csvField('two\nlines', ';')).toBe('"two\nlines"');
	});

	it('writes a document with a BOM and CRLF line ends', () => {
		expect(csvDocument([csvLine(['a', 1, null], ';'), csvLine(['b', 2, 'x'], ';')])).toBe('\ufeffa;1;\r\nb;2;x\r\n');
	});

	it('never lets a cell start with a formula character unless it is a plain number', () => {
		fc.assert(
			fc.property(fc.string(), (s) => {
				const out = csvField(s, ';');
				const unquoted = out.startsWith('"') ? out.slice(1) : out;
				return !/^[=+\-@\t\r]/.test(unquoted) || /^-?\d+([.,]\d+)?$/.test(s);
			})
		);
	});
});
