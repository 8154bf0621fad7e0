// Every CSV the app writes goes through here, so that each is safe to open in a spreadsheet: a
// cell that starts with =, +, -, @, a tab or a carriage return would be run as a formula by Excel
// or LibreOffice (CSV injection), so it gets a leading apostrophe, which they show as text.
// Quoting follows RFC 4180: a cell holding the separator, a quote or a line break is quoted.

const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number such as "-3,72" or "-0.5": a spreadsheet reads it as a number, not a formula. */
const PLAIN_NUMBER = /^-?\d+([.,]\d+)?$/;

/** One cell, formula-safe and quoted where needed. */
export function csvField(value: string | number | null | undefined, sep: string): string {
	if (value === null || value === undefined) return '';
	let s = String(value);
	if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
	return /["\r\n]/.test(s) || s.includes(sep) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One line of cells. */
export function csvLine(fields: readonly (string | number | null | undefined)[], sep: string): string {
	return fields.map((f) => csvField(f, sep)).join(sep);
}

/** Lines as a file: a BOM so spreadsheets read UTF-8, CRLF line ends as RFC 4180 writes them. */
export function csvDocument(lines: readonly string[]): string {
	return '\ufeff' + lines.join('\r\n') + '\r\n';
}
