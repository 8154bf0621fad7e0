// Runs the import CLI (`scripts/import.ts`) as a user would, returning its exit code and all it printed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
