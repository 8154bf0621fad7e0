// svelte-i18n setup: Dutch by default, English on request. The choice is kept in localStorage
// and mirrored to <html lang>. Rendering is client-only (ssr = false in +layout.ts), so the
// global locale store never leaks between requests.
import { addMessages, init, locale } from 'svelte-i18n';
import nl from './nl.json';
import en from './en.json';

export const LOCALES = ['nl', 'en'] as const;
export type AppLocale = (typeof LOCALES)[number];

const featureMessages = import.meta.glob('./features/*.json', { eager: true, import: 'default' });

const STORAGE_KEY = 'outreach-atlas.locale';

function isAppLocale(value: unknown): value is AppLocale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): AppLocale | null {
	try {
		const value = globalThis.localStorage?.getItem(STORAGE_KEY);
		return isAppLocale(value) ? value : null;
	} catch {
		return null;
	}
}

let started = false;
let active: AppLocale = 'nl';

/** Idempotent; safe to call from every entry point that needs translations. */
export function setupI18n(): void {
	if (started) return;
	started = true;
	addMessages('nl', nl);
	addMessages('en', en);
	// Features keep their strings in files of their own (features/<name>.nl.json and .en.json),
	// merged under their top-level keys, so parallel work never edits the same file.
	for (const [path, messages] of Object.entries(featureMessages)) {
		const lang = path.endsWith('.en.json') ? 'en' : 'nl';
		addMessages(lang, messages as Record<string, unknown> as never);
	}
	init({ fallbackLocale: 'nl', initialLocale: storedLocale() ?? 'nl' });
	locale.subscribe((value) => {
		if (!isAppLocale(value)) return;
		active = value;
		if (typeof document !== 'undefined') document.documentElement.lang = value;
		try {
			globalThis.localStorage?.setItem(STORAGE_KEY, value);
		} catch {
			/* private mode: the choice just isn't remembered */
		}
	});
}

export function setLocale(value: AppLocale): void {
	locale.set(value);
}

/** Current locale as one of ours (falls back to Dutch). */
export function currentLocale(value: string | null | undefined = active): AppLocale {
	return isAppLocale(value) ? value : 'nl';
}

/** BCP 47 tag for Intl formatting (Belgian Dutch; British English for day-month order). */
export function intlTag(value: string | null | undefined): string {
	return currentLocale(value) === 'en' ? 'en-GB' : 'nl-BE';
}

/** A vocabulary entry's label in the current language. */
export function vocabLabel(entry: { nl: string; en: string }, value: string | null | undefined): string {
	return currentLocale(value) === 'en' ? entry.en : entry.nl;
}

setupI18n();
