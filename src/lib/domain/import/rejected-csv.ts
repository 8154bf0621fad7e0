// The rejected rows of an import as a CSV the user can fix and import again: their own columns,
// in their own separator, plus the spreadsheet row and the reasons. Built in memory from at most
// MAX_REJECTED_ROWS rows; it is handed back once and never stored.
import type { RowIssue } from './row-errors';
import { csvDocument, csvLine } from '../csv';

export const MAX_REJECTED_ROWS = 10_000;

export function rejectedRowsCsv(
	headers: readonly string[],
	rejected: readonly { row: number; fields: readonly string[] }[],
	errors: readonly RowIssue[],
	sep: string,
	lang: 'nl' | 'en' = 'nl'
): string {
	const reasons = new Map<number, string[]>();
	for (const e of errors) {
		const list = reasons.get(e.row) ?? [];
		list.push(e.message[lang]);
		reasons.set(e.row, list);
	}
	const line = (fields: readonly string[]) => csvLine(fields, sep);
	const head = [lang === 'nl' ? 'rij' : 'row', ...headers, lang === 'nl' ? 'fout' : 'problem'];
	const body = rejected.map((r) => line([String(r.row), ...r.fields, (reasons.get(r.row) ?? []).join(' | ')]));
	return csvDocument([line(head), ...body]);
}

/**
 * The problems of an import whose records are joined from several files (an HSDS package): one
 * line per problem with the file, its line, the column, the value and the reason, as there is
 * no single row of the user's own to hand back.
 */
export function issuesCsv(issues: readonly (RowIssue & { file?: string })[], sep: string, lang: 'nl' | 'en' = 'nl'): string {
	const line = (fields: readonly string[]) => csvLine(fields, sep);
	const head = lang === 'nl' ? ['bestand', 'rij', 'kolom', 'waarde', 'fout'] : ['file', 'row', 'column', 'value', 'problem'];
	const body = issues.map((e) => {
		const text = e.message[lang];
		// the message without its "services.csv: Rij 3, kolom ‘name’: " prefix (the columns before say it)
		const from = e.file && text.startsWith(`${e.file}: `) ? e.file.length + 2 : 0;
		const at = text.indexOf(': ', from);
		return line([e.file ?? '', e.row === 0 ? '' : String(e.row), e.field, e.value ?? '', at >= 0 ? text.slice(at + 2) : text]);
	});
	return csvDocument([line(head), ...body]);
}
