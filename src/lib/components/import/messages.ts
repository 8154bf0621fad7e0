// The import page's messages: kept as i18n key and values so they follow a change of language,
// and the failures of the server, the network or a stop in the user's words.
import { ApiError } from '$lib/api/errors';

/** A message kept as key and values, so it follows a change of language. */
export interface Msg {
	key: string;
	values?: Record<string, string | number>;
}

export const msg = (key: string, values?: Msg['values']): Msg => ({ key, values });

/** A message (or several, joined by spaces) in words, by the page's translate function. */
export function msgText(format: (key: string, options: { values: Record<string, string | number> }) => string, m: Msg | Msg[] | null): string {
	if (!m) return '';
	if (Array.isArray(m)) return m.map((x) => msgText(format, x)).join(' ');
	return format(m.key, { values: m.values ?? {} });
}

/** A size in megabytes, with one decimal under 10 MB. */
export const megabytes = (tag: string, bytes: number) =>
	new Intl.NumberFormat(tag, { maximumFractionDigits: bytes < 10 * 1024 * 1024 ? 1 : 0 }).format(bytes / 1024 / 1024) + ' MB';

/** A failure (of the server, the network, or a stop) in the user's words. */
export function describe(e: unknown): Msg {
	if (e instanceof DOMException && e.name === 'AbortError') return msg('import.status.aborted');
	if (e instanceof ApiError) {
		// a workbook the server could not read: its own message, in the page's language
		if (e.code?.startsWith('xlsx_')) return msg(`import.xlsx.errors.${e.code.slice(5)}`, e.values);
		if (e.status === 413) return msg('import.errors.tooLarge');
		if (e.status === 401) return msg('import.errors.signedOut');
		if (e.status === 403) return msg('import.errors.forbidden');
		if (e.status === 0) return msg('import.errors.network');
		if (e.param === 'source') return msg('import.source.invalid');
		if (e.code === 'empty_file') return msg('import.csv.errors.empty_file');
		if (e.code === 'unknownValueCode') return msg('errors.unknownValueCode', e.values);
		if (e.param === 'file' && e.status === 400) return msg('import.errors.file', { message: e.message });
		return msg('import.errors.server', { message: e.message });
	}
	return msg('import.errors.network');
}

/** Why a new vocabulary entry was refused: the label's problem in the page's words, else as any failure. */
export function describeEntryRefusal(e: unknown): Msg {
	if (e instanceof ApiError && e.code && ['vocabularyLabelEmpty', 'vocabularyLabelTaken', 'vocabularyLabelTooLong'].includes(e.code))
		return msg(`errors.${e.code}`, e.values);
	return describe(e);
}

/** Identifies a chosen file, for "was this exact file checked?". */
export const fileKey = (f: File | null) => (f ? `${f.name}|${f.size}|${f.lastModified}` : '');
