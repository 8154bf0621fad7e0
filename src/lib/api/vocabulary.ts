// The organisation's vocabularies over HTTP: adding an entry where it is needed (the import's value
// mapping offers "new entry" for a value no entry fits). Coordinators only (route table).
import { z } from 'zod';
import { endpoint } from './endpoint';
import { VOCABULARY_KINDS, type VocabularyEntry } from '$lib/domain/vocabulary';

const label = z.string().max(200);

/** POST /api/vocabulary: one new entry at the end of a list; 201 with the entry, 400 naming the label. */
export const addEntry = endpoint<{ entry: VocabularyEntry }>()({
	method: 'POST',
	path: '/api/vocabulary',
	body: z.object({ kind: z.enum(VOCABULARY_KINDS as [string, ...string[]]), nl: label, en: label.default('') }).strict()
});
