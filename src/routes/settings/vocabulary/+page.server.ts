// The organisation's own vocabulary (coordinators only; the route table enforces it): contact
// types, target groups, themes, service categories and referral targets. One action with an
// `intent`, like /users; every change is validated and audited in server/vocabulary.ts. A merge
// asks first: without `confirm` it answers how many contacts, services and signals it would move.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { VOCABULARY_KINDS, type VocabularyKind } from '$lib/domain/vocabulary';
import { checkMerge } from '$lib/domain/vocabulary-edit';
import {
	addVocabularyEntry,
	isVocabularyKind,
	listEntries,
	mergeVocabularyEntries,
	moveVocabularyEntry,
	renameVocabularyEntry,
	setVocabularyEntryActive,
	vocabularyUsage
} from '$lib/server/vocabulary';

const INTENTS = ['add', 'rename', 'up', 'down', 'retire', 'unretire', 'merge'] as const;
type Intent = (typeof INTENTS)[number];

const text = (f: FormData, name: string) => String(f.get(name) ?? '');

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const lists = await Promise.all(VOCABULARY_KINDS.map(async (kind) => ({ kind, entries: await listEntries(sql, org.orgId, kind) })));
	// Merged entries are kept only so their ids are not reused; nothing names them, so they are not shown.
	return { lists: lists.map((l) => ({ ...l, entries: l.entries.filter((e) => e.mergedInto === null) })) };
}

export const actions = {
	default: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const kind = text(f, 'kind');
		const intent = text(f, 'intent') as Intent;
		const id = Number(text(f, 'id'));
		const values = { labelNl: text(f, 'labelNl'), labelEn: text(f, 'labelEn'), into: text(f, 'into') };
		const base = { kind, intent, id: Number.isInteger(id) ? id : null, values };
		if (!isVocabularyKind(kind)) return fail(400, { ...base, field: 'kind', code: 'vocabularyKindUnknown', message: `unknown list "${kind}"` });
		if (!(INTENTS as readonly string[]).includes(intent))
			return fail(400, { ...base, field: 'intent', code: 'generic', message: `unknown intent "${intent}"` });
		if (intent !== 'add' && (!Number.isInteger(id) || id <= 0))
			return fail(400, { ...base, field: 'id', code: 'vocabularyUnknown', message: 'no such entry', params: { id: text(f, 'id') } });
		const { sql } = await db();
		const actor = { userId: user.userId };
		try {
			return { ...base, done: await run(sql, org.orgId, actor, kind, intent, id, values, f.get('confirm') === '1') };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { ...base, ...fieldProblem(e) });
		}
	}
};

type Done =
	| { step: 'changed'; label?: string }
	| { step: 'confirmMerge'; into: number; contacts: number; services: number; signals: number }
	| { step: 'merged'; contacts: number; services: number; signals: number; mappings: number };

async function run(
	sql: Awaited<ReturnType<typeof db>>['sql'],
	orgId: number,
	actor: { userId: number },
	kind: VocabularyKind,
	intent: Intent,
	id: number,
	values: { labelNl: string; labelEn: string; into: string },
	confirmed: boolean
): Promise<Done> {
	switch (intent) {
		case 'add':
			return { step: 'changed', label: (await addVocabularyEntry(sql, orgId, actor, kind, values.labelNl, values.labelEn)).nl };
		case 'rename':
			return { step: 'changed', label: (await renameVocabularyEntry(sql, orgId, actor, kind, id, values.labelNl, values.labelEn)).nl };
		case 'up':
		case 'down':
			await moveVocabularyEntry(sql, orgId, actor, kind, id, intent);
			return { step: 'changed' };
		case 'retire':
		case 'unretire':
			await setVocabularyEntryActive(sql, orgId, actor, kind, id, intent === 'unretire');
			return { step: 'changed' };
		case 'merge': {
			const into = Number(values.into);
			if (!values.into || !Number.isInteger(into)) throw new UserInputError('vocabularyMergeTarget', 'into', 'choose the entry to merge into');
			if (!confirmed) {
				checkMerge(await listEntries(sql, orgId, kind), id, into);
				return { step: 'confirmMerge', into, ...(await vocabularyUsage(sql, orgId, kind, id)) };
			}
			return { step: 'merged', ...(await mergeVocabularyEntries(sql, orgId, actor, kind, id, into)) };
		}
	}
}
