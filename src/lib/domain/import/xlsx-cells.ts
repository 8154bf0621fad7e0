// Excel workbooks (.xlsx) enter the import as CSV: the server reads one worksheet and writes its
// rows as ';'-separated UTF-8 lines, which the CSV pipeline then reads as it reads any export.
// This module is the pure part: what a cell becomes as text, a row as a CSV line, how an upload
// is recognised, and the problems a workbook can have (in Dutch and English). Row N of the sheet
// is line N of the CSV, so the row numbers of the report are the sheet's own.

/** A workbook is read whole into memory (it is a zip): larger ones are refused. */
export const MAX_WORKBOOK_BYTES = 50 * 1024 * 1024;
/** What its parts may add up to once unpacked (as the zip declares them). */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

export const isWorkbookName = (name: string): boolean => /\.xls[xm]$/i.test(name);

/**
 * What the first bytes say: 'zip' (PK\x03\x04: an .xlsx, or any other zip), 'ole' (an OLE
 * compound file: a legacy .xls, or an .xlsx saved with a password, which Excel encrypts into
 * such a container), or null (text: a CSV).
 */
export function sniffContainer(head: Uint8Array): 'zip' | 'ole' | null {
	if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
	const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
	if (head.length >= OLE.length && OLE.every((b, i) => head[i] === b)) return 'ole';
	return null;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** 1899-12-31 00:00 UTC: read-excel-file gives a time-only cell (serial 0…1) a Date before it. */
const SERIAL_ONE = Date.UTC(1899, 11, 31);

/**
 * A date cell. Excel stores wall-clock time without a zone; read-excel-file hands it over as a
 * Date whose UTC fields are that wall-clock time (e.g. 15/03/2024 14:30 → 2024-03-15T14:30Z),
 * rounded down to the millisecond, so 14:30 may arrive as 14:29:59.999: rounded to the second.
 * - date and time: "dd/mm/yyyy hh:mm" (":ss" only when the seconds are not 0);
 * - midnight: "dd/mm/yyyy" alone, the same instant for the pipeline (a date without a time is
 *   local midnight), and it still joins a separate time column ("Datum" + "Uur");
 * - a time-only cell (serial below 1): "hh:mm".
 * The CSV pipeline reads this text as Europe/Brussels local time, as Excel meant it.
 */
export function formatExcelDate(d: Date): string {
	const t = d.getTime();
	if (!Number.isFinite(t)) return '';
	const r = new Date(Math.round(t / 1000) * 1000);
	const s = r.getUTCSeconds();
	const time = `${pad(r.getUTCHours())}:${pad(r.getUTCMinutes())}${s ? `:${pad(s)}` : ''}`;
	if (r.getTime() < SERIAL_ONE) return time;
	const date = `${pad(r.getUTCDate())}/${pad(r.getUTCMonth() + 1)}/${r.getUTCFullYear()}`;
	return r.getUTCHours() === 0 && r.getUTCMinutes() === 0 && s === 0 ? date : `${date} ${time}`;
}

/**
 * A number as plain decimal text with a point ("50.8503", "-0.5", "1000000"), never with an
 * exponent. Rounded to 15 significant digits, as Excel shows numbers: a cell holding
 * 0.30000000000000004 (a computed 0.1 + 0.2) reads "0.3".
 */
export function plainNumber(n: number): string {
	if (!Number.isFinite(n)) return '';
	const x = Number(n.toPrecision(15));
	const s = String(x === 0 ? 0 : x);
	const e = s.indexOf('e');
	if (e < 0) return s;
	const neg = s[0] === '-';
	const mantissa = s.slice(neg ? 1 : 0, e);
	const dot = mantissa.indexOf('.');
	const digits = mantissa.replace('.', '');
	const point = (dot < 0 ? mantissa.length : dot) + Number(s.slice(e + 1));
	const out =
		point <= 0
			? `0.${'0'.repeat(-point)}${digits}`
			: point >= digits.length
				? digits + '0'.repeat(point - digits.length)
				: `${digits.slice(0, point)}.${digits.slice(point)}`;
	return (neg ? '-' : '') + out;
}

/**
 * A cell as text: numbers as plain decimals, booleans ja/nee, dates as above, text as it is
 * with its line breaks made spaces (so one row stays one line), empty as ''.
 */
export function formatCell(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v.replace(/\r\n|[\r\n]/g, ' ');
	if (typeof v === 'number') return plainNumber(v);
	if (typeof v === 'boolean') return v ? 'ja' : 'nee';
	if (v instanceof Date) return formatExcelDate(v);
	return String(v).replace(/\r\n|[\r\n]/g, ' ');
}

/**
 * One CSV field for ';': quoted when it holds a quote or any separator the sniffer weighs
 * (';', ',' or a tab), so every line splits into the same columns on ';' and on nothing else.
 */
export function csvField(s: string): string {
	return /[";,\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const filled = (v: unknown) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '');

/**
 * The sheet's rows as CSV lines, each ending in "\n": one line per row, empty rows included
 * (as blank lines), so line N is row N. Columns left of the first filled one are dropped (a
 * table that starts in column B). `rows` as read-excel-file returns them: a row per sheet row
 * from row 1, cells from column A. Nothing at all when the sheet is empty.
 */
export function* sheetToCsvLines(rows: readonly (readonly unknown[])[]): Generator<string, void, undefined> {
	let first = Infinity;
	let last = -1;
	for (const row of rows)
		for (let i = 0; i < row.length; i++)
			if (filled(row[i])) {
				if (i < first) first = i;
				if (i > last) last = i;
			}
	if (last < 0) return;
	for (const row of rows) {
		const fields: string[] = [];
		for (let i = first; i <= last; i++) fields.push(csvField(formatCell(row[i])));
		yield fields.join(';') + '\n';
	}
}

export type WorkbookProblemCode = 'too_large' | 'unpacked_too_large' | 'encrypted_or_xls' | 'corrupt' | 'not_a_workbook' | 'empty' | 'no_sheet';

export interface WorkbookProblem {
	code: WorkbookProblemCode;
	/** Values the message names (limits in MB, a sheet), for the page's own translation. */
	values: Record<string, string | number>;
	message: { nl: string; en: string };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** A problem with a workbook as a whole, with its message in both languages. */
export function workbookProblem(code: WorkbookProblemCode, values: Record<string, string | number> = {}): WorkbookProblem {
	const v: Record<string, string | number> = { max: mb(MAX_WORKBOOK_BYTES), unpacked: mb(MAX_UNPACKED_BYTES), ...values };
	const texts: Record<WorkbookProblemCode, { nl: string; en: string }> = {
		too_large: {
			nl: `Deze Excel-werkmap is te groot: een werkmap mag hoogstens ${v.max} MB zijn. Bewaar het werkblad als CSV (puntkomma) en importeer dat bestand, of splits de werkmap.`,
			en: `This Excel workbook is too large: a workbook may be at most ${v.max} MB. Save the worksheet as CSV and import that file, or split the workbook.`
		},
		unpacked_too_large: {
			nl: `Deze Excel-werkmap is uitgepakt groter dan ${v.unpacked} MB. Bewaar het werkblad als CSV (puntkomma) en importeer dat bestand.`,
			en: `This Excel workbook unpacks to more than ${v.unpacked} MB. Save the worksheet as CSV and import that file.`
		},
		encrypted_or_xls: {
			nl: 'Dit bestand is een werkmap met een wachtwoord of een oud Excel-bestand (.xls). Open het in Excel en bewaar het zonder wachtwoord als Excel-werkmap (.xlsx) of als CSV.',
			en: 'This file is a password-protected workbook or an old Excel file (.xls). Open it in Excel and save it without a password as an Excel workbook (.xlsx) or as CSV.'
		},
		corrupt: {
			nl: 'Deze Excel-werkmap is beschadigd en kan niet gelezen worden. Open ze in Excel en bewaar ze opnieuw, of bewaar het werkblad als CSV.',
			en: 'This Excel workbook is damaged and cannot be read. Open it in Excel and save it again, or save the worksheet as CSV.'
		},
		not_a_workbook: {
			nl: 'Dit zip-bestand is geen Excel-werkmap (.xlsx). Kies een .xlsx- of CSV-bestand.',
			en: 'This zip file is not an Excel workbook (.xlsx). Choose an .xlsx or CSV file.'
		},
		empty: {
			nl: `Het werkblad ‘${v.sheet ?? ''}’ is leeg.`,
			en: `The worksheet ‘${v.sheet ?? ''}’ is empty.`
		},
		no_sheet: {
			nl: `Deze werkmap heeft geen werkblad ${v.sheet ?? ''}.`,
			en: `This workbook has no worksheet ${v.sheet ?? ''}.`
		}
	};
	return { code, values: v, message: texts[code] };
}
