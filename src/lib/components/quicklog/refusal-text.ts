// A refused quick-log entry in the page's language: `errors.<code>` with its values, or the
// server's English message when there is no code (entries queued by an older version) or no text.
import type { ErrorValues } from '$lib/domain/errors';
import type { Translate } from '../underserved';

export function refusalText(t: Translate, e: { code?: string; values?: ErrorValues; message: string }): string {
	if (!e.code) return e.message;
	const key = `errors.${e.code}`;
	const text = t(key, { values: e.values ?? {} });
	return text === key ? e.message : text;
}
