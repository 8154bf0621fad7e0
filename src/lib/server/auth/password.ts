// Password hashing with argon2id (@node-rs/argon2: maintained, prebuilt native binaries).
// Parameters follow the OWASP minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
import { hash, verify } from '@node-rs/argon2';
import { UserInputError } from '../../domain/errors';

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

export const MAX_PASSWORD_LENGTH = 256;

/** What is wrong with a new password (a refusal of the field `password`), or null. */
export function passwordProblem(password: string): UserInputError | null {
	if (password.length < MIN_PASSWORD_LENGTH) {
		return new UserInputError('passwordTooShort', 'password', `password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
			min: MIN_PASSWORD_LENGTH
		});
	}
	if (password.length > MAX_PASSWORD_LENGTH) {
		return new UserInputError('passwordTooLong', 'password', `password needs at most ${MAX_PASSWORD_LENGTH} characters`, {
			max: MAX_PASSWORD_LENGTH
		});
	}
	return null;
}
