// Password hashing with argon2id (@node-rs/argon2: maintained, prebuilt native binaries).
// Parameters follow the OWASP minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id; the package's const enum cannot be imported under isolatedModules
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (no such account, or no password set)
 * it verifies against a dummy hash anyway, so both cases take the same time.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
	if (!stored) {
		dummy ??= hashPassword('not-a-real-password-' + Math.random());
		await verify(await dummy, password).catch(() => false);
		return false;
	}
	return verify(stored, password).catch(() => false);
}

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
	if (password.length > 256) return 'at most 256 characters';
	return null;
}
