import { describe, expect, it } from 'vitest';
import { sniffDialect, splitCsv, uniqueHeaders } from '../../src/lib/domain/import/sniff';

describe('splitCsv', () => {
	it('respects quotes, doubled quotes and line breaks inside quotes', () => {
		const recs = splitCsv('a;b;c\r\n1;"x;""y""\nz";3\n4;5;6\n', ';');
		expect(recs).toEqual([
			{ fields: ['a', 'b', 'c'], line: 1 },
			{ fields: ['1', 'x;"y"\nz', '3'], line: 2 },
			{ fields: ['4', '5', '6'], line: 3 } // row 3 in a spreadsheet, though line 4 of the text
		]);
	});
	it('drops a possibly cut last record unless the text is complete', () => {
		expect(splitCsv('a;b\n1;2\n3;', ';', Infinity, false).map((r) => r.fields)).toEqual([
			['a', 'b'],
			['1', '2']
		]);
		expect(splitCsv('a;b\n1;2\n3;', ';', Infinity, true).map((r) => r.fields)).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '']
		]);
		expect(splitCsv('a;b\n1;"open\n', ';', Infinity, false)).toHaveLength(1);
	});
});

describe('sniffDialect', () => {
	it('semicolon file with decimal commas (Belgian Excel)', () => {
		const d = sniffDialect('Datum;Lat;Lon;Type\n14/03/2026;51,0543;3,7266;Kort contact\n15/03/2026;51,06;3,72;Crisis\n');
		expect(d).toMatchObject({ separator: ';', decimalComma: true, headers: ['Datum', 'Lat', 'Lon', 'Type'], headerLikely: true });
	});
	it('comma file with dot decimals', () => {
		const d = sniffDialect('date,lat,lng,type\n2026-03-14,51.0543,3.7266,"Brief, contact"\n2026-03-15,51.06,3.72,Crisis\n');
		expect(d).toMatchObject({ separator: ',', decimalComma: false, headers: ['date', 'lat', 'lng', 'type'] });
	});
	it('comma file where decimal commas are quoted', () => {
		const d = sniffDialect('date,lat,lng\n2026-03-14,"51,0543","3,7266"\n2026-03-15,"51,06","3,72"\n');
		expect(d).toMatchObject({ separator: ',', decimalComma: true });
	});
	it('semicolons inside quoted text do not fool a comma file', () => {
		const d = sniffDialect('id,note,x\n1,"a;b;c;d",2\n2,"e;f;g;h",3\n');
		expect(d.separator).toBe(',');
	});
	it('tab separated', () => {
		expect(sniffDialect('Datum\tLat\tLon\n14/03/2026\t51,05\t3,72\n').separator).toBe('\t');
	});
	it('header row that looks like data is flagged', () => {
		expect(sniffDialect('14/03/2026;51,05;3,72\n15/03/2026;51,06;3,73\n').headerLikely).toBe(false);
	});
	it('ignores a cut-off last line in the head', () => {
		const d = sniffDialect('a;b;c\n1;2;3\n4;5', false);
		expect(d.separator).toBe(';');
	});
});

describe('uniqueHeaders', () => {
	it('trims, names empty columns and numbers repeats', () => {
		expect(uniqueHeaders([' Datum ', '', 'Thema', 'Thema'])).toEqual(['Datum', 'Kolom 2', 'Thema', 'Thema (2)']);
	});
});
