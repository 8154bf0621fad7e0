// The audit log as a file for a spreadsheet: ';'-separated with a BOM like the app's other CSVs,
// every cell formula-safe (csv.ts), in the language of the person downloading. Times are Brussels
// wall-clock times; details are the entry's parameters (ids and codes, never contact data).
import { csvDocument, csvLine } from './csv';

export type AuditCsvLang = 'nl' | 'en';

export interface AuditCsvEntry {
	/** Brussels time, YYYY-MM-DD HH:MM:SS. */
	local: string;
	userId: number | null;
	user: string | null;
	action: string;
	detail: Record<string, unknown>;
}

const WORDS = {
	nl: { header: ['tijdstip', 'gebruiker_id', 'gebruiker', 'actie_code', 'actie', 'details'], system: 'systeem' },
	en: { header: ['time', 'user_id', 'user', 'action_code', 'action', 'details'], system: 'system' }
} as const;

/** `actionLabel` names an action in `lang` (the audit page's label). */
export function auditCsv(entries: readonly AuditCsvEntry[], lang: AuditCsvLang, actionLabel: (action: string) => string): string {
	const w = WORDS[lang];
	const rows = entries.map((e) => [
		e.local,
		e.userId,
		e.user ?? w.system,
		e.action,
		actionLabel(e.action),
		Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''
	]);
	return csvDocument([w.header, ...rows].map((r) => csvLine(r, ';')));
}
