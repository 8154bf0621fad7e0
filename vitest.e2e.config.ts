// Browser tests: `npm run test:e2e` (after `npm run build`). The global setup starts the built
// app (`node build`) on a free port with a throwaway database and hands its URL to the tests,
// which drive Debian's Chromium through playwright-core. See tests/e2e/README.md.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.e2e.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		testTimeout: 120_000,
		hookTimeout: 120_000,
		// One app server and one browser at a time: the machine has two cores.
		fileParallelism: false
	}
});
