import { setupI18n } from '$lib/i18n';

// svelte-i18n keeps the locale in a global store; rendering only in the browser means no
// request can ever see another request's language.
export const ssr = false;

export const load = () => {
	setupI18n();
};
