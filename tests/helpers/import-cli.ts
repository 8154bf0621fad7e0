// Running the import CLI (`scripts/import.ts`) as a user would, and what its tests start from.
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Sql } from '../../src/lib/server/db';
import { migrate } from '../../src/lib/server/migrate';
import { createOrganisation } from '../../src/lib/server/organisations';
import { XLSX_FIXTURE, xlsxFixture } from '../fixtures/import/make-xlsx';

const run = promisify(execFile);

export async function importCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: string }> {
	try {
		const r = await run('npx', ['tsx', 'scripts/import.ts', ...args], { env, timeout: 120_000 });
		return { code: 0, out: r.stdout + r.stderr };
	} catch (e) {
		const x = e as { code: number; stdout: string; stderr: string };
		return { code: x.code, out: x.stdout + x.stderr };
	}
}

/**
 * What a CLI import test starts from: a migrated database holding the organisation "cli", the
 * XLSX fixture at `workbook` and its mapping at `mappingFile`.
 */
export async function prepareCliImport(sql: Sql, workbook: string, mappingFile: string): Promise<void> {
	await migrate(sql);
	await createOrganisation(sql, { slug: 'cli', name: 'CLI test', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
	copyFileSync(XLSX_FIXTURE, workbook);
	writeFileSync(mappingFile, JSON.stringify(xlsxFixture.mapping));
}
