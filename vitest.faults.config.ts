// Fault tests: `npm run test:faults` (after `npm run build`). Each file starts the built app
// (scripts/serve.js) itself, on embedded PGlite, or on PostgreSQL when TEST_DATABASE_URL names
// a server of scripts/pg-cluster.sh (the outage test pauses and resumes that cluster).
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/faults/**/*.fault.ts'],
		testTimeout: 120_000,
		hookTimeout: 240_000,
		fileParallelism: false
	}
});
