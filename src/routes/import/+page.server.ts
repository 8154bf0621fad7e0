// The import page renders in the browser (ssr = false); the server only says which import APIs
// exist in this build, so kinds whose server side is not there yet are shown as "coming soon".
const apis = Object.keys(import.meta.glob('../api/imports/*/+server.ts'))
	.map((path) => path.split('/').at(-2) ?? '')
	.filter((name) => name !== '');

export function load() {
	return { apis };
}
