// Changes to an organisation's vocabularies. Codes are stable text keys (imports and saved
// mappings name them), made once from the Dutch label; ids are the small integers contacts store.
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';
import { matchKey } from '../domain/import/vocab-match';
import type { VocabularyEntry, VocabularyKind } from '../domain/vocabulary';

const MAX_LABEL = 80;

/** A code from a label: lower case, accents dropped, words joined by '_' ("Dak- en thuislozen" → dak_en_thuislozen). */
export function codeFromLabel(label: string): string {
	const words = label
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
	return words.join('_').slice(0, 40) || 'item';
}

function checkLabel(field: 'nl' | 'en', label: string, others: { nl: string; en: string }[]) {
	if (label === '') throw new UserInputError('labelEmpty', field, `the ${field === 'nl' ? 'Dutch' : 'English'} label is empty`);
	if (label.length > MAX_LABEL) throw new UserInputError('labelTooLong', field, `a label has at most ${MAX_LABEL} characters`, { max: MAX_LABEL });
	const taken = others.find((o) => matchKey(o[field]) === matchKey(label));
	if (taken)
		throw new UserInputError('labelTaken', field, `‘${label}’ is already the label of ‘${taken[field]}’ (case and accents ignored)`, {
			label,
			other: taken[field]
		});
}

/**
 * Adds an entry at the end of the organisation's list of `kind`, in one transaction; written to
 * the audit log. Refuses an empty label or one equal to another entry's label after case and
 * accents are ignored.
 */
export async function addVocabularyEntry(
	sql: Sql,
	orgId: number,
	userId: number | null,
	kind: VocabularyKind,
	labelNl: string,
	labelEn: string
): Promise<VocabularyEntry> {
	const nl = labelNl.trim().replace(/\s+/g, ' ');
	const en = (labelEn.trim() || nl).replace(/\s+/g, ' ');
	return sql.begin(async (tx) => {
		const t = tx as unknown as Sql;
		// one writer per list at a time, so two people adding at once get different ids and codes
		await t`select pg_advisory_xact_lock(${orgId}, hashtext(${'vocabulary:' + kind}))`;
		const rows = await t`select id, code, label_nl, label_en, sort from vocabulary where org_id = ${orgId} and kind = ${kind}`;
		const others = rows.map((r) => ({ nl: r.label_nl as string, en: r.label_en as string }));
		checkLabel('nl', nl, others);
		checkLabel('en', en, others);
		const codes = new Set(rows.map((r) => r.code as string));
		const base = codeFromLabel(nl);
		let code = base;
		for (let n = 2; codes.has(code); n++) code = `${base}_${n}`;
		const id = Math.max(0, ...rows.map((r) => r.id as number)) + 1;
		const sort = Math.max(0, ...rows.map((r) => r.sort as number)) + 1;
		await t`
			insert into vocabulary (org_id, kind, id, code, label_nl, label_en, sort)
			values (${orgId}, ${kind}, ${id}, ${code}, ${nl}, ${en}, ${sort})`;
		await audit(t, { orgId, userId, action: 'vocabulary.add', detail: { kind, code, nl, en } });
		return { id, code, nl, en };
	});
}
