// Writes small .xlsx workbooks by hand (the report exports; the tests' workbooks through
// tests/helpers/xlsx-build.ts): an .xlsx is a zip of a few XML parts, zipped with fflate (already
// a dependency; read-excel-file only reads). Cells are written the way Excel writes them: text
// in the shared-strings table, numbers as <v>, booleans as t="b", dates as serial day numbers
// with a date number format (styles.xml).
import { zipSync, strToU8 } from 'fflate';

/** A date cell: the wall-clock time is given in UTC fields (Excel stores no zone). */
export interface DateCell {
	date: Date;
	/** 'datetime' (d/mm/yyyy h:mm, the default), 'date' (d/mm/yyyy) or 'time' (h:mm). */
	format?: 'datetime' | 'date' | 'time';
}
export type Cell = string | number | boolean | null | DateCell | { formula: string; value: number | string };
export interface SheetSpec {
	name: string;
	rows: Cell[][];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const column = (i: number): string => {
	let s = '';
	for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
};

/** Days since 1899-12-30 (Excel's serial day number, 1900 system, past February 1900). */
export const excelSerial = (d: Date): number => (d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;

const STYLE = { datetime: 1, date: 2, time: 3 } as const;

export function buildXlsx(sheets: SheetSpec[]): Uint8Array {
	const strings: string[] = [];
	const stringIndex = new Map<string, number>();
	const shared = (s: string) => {
		let i = stringIndex.get(s);
		if (i === undefined) {
			i = strings.length;
			strings.push(s);
			stringIndex.set(s, i);
		}
		return i;
	};
	const sheetXml = (rows: Cell[][]) => {
		const body = rows
			.map((row, r) => {
				const cells = row
					.map((v, c) => {
						const ref = `${column(c)}${r + 1}`;
						if (v === null || v === '') return '';
						if (typeof v === 'string') return `<c r="${ref}" t="s"><v>${shared(v)}</v></c>`;
						if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
						if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
						if ('formula' in v)
							return typeof v.value === 'number'
								? `<c r="${ref}"><f>${esc(v.formula)}</f><v>${v.value}</v></c>`
								: `<c r="${ref}" t="str"><f>${esc(v.formula)}</f><v>${esc(v.value)}</v></c>`;
						return `<c r="${ref}" s="${STYLE[v.format ?? 'datetime']}"><v>${excelSerial(v.date)}</v></c>`;
					})
					.join('');
				return cells ? `<row r="${r + 1}">${cells}</row>` : '';
			})
			.join('');
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
	};
	const sheetParts = sheets.map((s) => sheetXml(s.rows));
	const files: Record<string, Uint8Array> = {
		'[Content_Types].xml': strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
				`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
				`<Default Extension="xml" ContentType="application/xml"/>` +
				`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
				sheets
					.map(
						(_, i) =>
							`<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
					)
					.join('') +
				`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
				`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
				`</Types>`
		),
		'_rels/.rels': strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
				`</Relationships>`
		),
		'xl/workbook.xml': strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
				sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
				`</sheets></workbook>`
		),
		'xl/_rels/workbook.xml.rels': strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				sheets
					.map(
						(_, i) =>
							`<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`
					)
					.join('') +
				`<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
				`<Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
				`</Relationships>`
		),
		// xf 0: general; 1: d/mm/yyyy h:mm (custom 164); 2: built-in 14 (date); 3: built-in 20 (h:mm)
		'xl/styles.xml': strToU8(
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
				`<numFmts count="1"><numFmt numFmtId="164" formatCode="d/mm/yyyy\\ h:mm"/></numFmts>` +
				`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
				`<fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
				`<borders count="1"><border/></borders>` +
				`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
				`<cellXfs count="4">` +
				`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
				`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
				`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
				`<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
				`</cellXfs></styleSheet>`
		),
		'xl/sharedStrings.xml': new Uint8Array()
	};
	sheetParts.forEach((xml, i) => (files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(xml)));
	// after the sheets: only then is the table complete
	files['xl/sharedStrings.xml'] = strToU8(
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">` +
			strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('') +
			`</sst>`
	);
	// a fixed time stamp: the same workbook gives the same bytes
	return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2024, 0, 1)) });
}
