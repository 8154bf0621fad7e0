// Accounts, sign-in, throttling, sessions and resets against the test database.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Counts password verifications, whoever calls them.
const verifications = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../src/lib/server/auth/password', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../src/lib/server/auth/password')>();
	return {
		...real,
		verifyPassword: (stored: string | null | undefined, password: string) => {
			verifications.n++;
			return real.verifyPassword(stored, password);
		}
	};
});
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { completePasswordReset, createUser, issuePasswordReset, resetIsValid, updateUser } from '../../src/lib/server/auth/users';
import { attemptLogin } from '../../src/lib/server/auth/login';
import { UserInputError } from '../../src/lib/domain/errors';
import { createSession, endSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { failureDelayMs, LOCK_AFTER } from '../../src/lib/server/auth/throttle';
import { TokenBucket, WindowCounter, type LoginLimits } from '../../src/lib/server/auth/limits';
import { tokenHash } from '../../src/lib/server/auth/tokens';

let t: TestDatabase;
let orgId: number;
let coordId: number;
const delays: number[] = [];
// No waiting, and limits per client and per second this file's sequential tries never reach
// (the burst tests below bring their own).
const noSleep = {
	sleep: async (ms: number) => void delays.push(ms),
	limits: { perClient: new WindowCounter(10_000, 60_000), verifications: new TokenBucket(10_000, 10_000) } as LoginLimits
};

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'auth', name: 'Auth', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
	coordId = await createUser(t.sql, {
		orgId,
		email: 'Coord@Example.org',
		name: 'Coördinator',
		role: 'coordinator',
		password: 'correct horse battery'
	});
});
afterAll(() => t?.cleanup());

describe(dbTitle('accounts'), () => {
	it('stores an argon2id hash, never the password', async () => {
		const [row] = await t.sql`select email, password_hash from app_user where user_id = ${coordId}`;
		expect(row!.email).toBe('coord@example.org');
		expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(row!.password_hash).not.toContain('horse');
	});

	it('rejects bad input naming the field', async () => {
		const cases: [Record<string, string>, string, string][] = [
			[{ email: 'nope' }, 'email', 'emailInvalid'],
			[{ email: 'coord@example.org' }, 'email', 'emailTaken'],
			[{ email: 'x@example.org', password: 'short' }, 'password', 'passwordTooShort'],
			[{ email: 'x@example.org', password: 'p'.repeat(257) }, 'password', 'passwordTooLong'],
			[{ email: 'y@example.org', name: ' ' }, 'name', 'nameRequired']
		];
		for (const [patch, field, code] of cases) {
			const err = await createUser(t.sql, { orgId, name: 'N', role: 'worker', password: 'long enough password', ...patch } as never).catch((e) => e);
			expect(err).toBeInstanceOf(UserInputError);
			expect((err as UserInputError).field).toBe(field);
			expect((err as UserInputError).code).toBe(code);
		}
	});
});

describe(dbTitle('sign-in'), () => {
	it('accepts the right password, case-insensitively on the email', async () => {
		const r = await attemptLogin(t.sql, ' COORD@example.org ', 'correct horse battery', noSleep);
		expect(r).toMatchObject({ ok: true, user: { orgId, userId: coordId, role: 'coordinator' } });
	});

	it('answers a wrong password and an unknown email the same way', async () => {
		const a = await attemptLogin(t.sql, 'coord@example.org', 'wrong password!!', noSleep);
		const b = await attemptLogin(t.sql, 'nobody@example.org', 'wrong password!!', noSleep);
		expect(a).toEqual({ ok: false, reason: 'invalid' });
		expect(b).toEqual(a);
	});

	it('takes about as long for an unknown email as for a wrong password', async () => {
		const time = async (email: string) => {
			const t0 = performance.now();
			await attemptLogin(t.sql, email, 'another wrong one', noSleep);
			return performance.now() - t0;
		};
		const known: number[] = [];
		const unknown: number[] = [];
		for (let i = 0; i < 3; i++) {
			known.push(await time(`coord@example.org`));
			unknown.push(await time(`ghost${i}@example.org`));
		}
		const med = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
		// both do one argon2id verification (~25 ms+); no 5x gap as a skipped hash would give
		expect(med(unknown) / med(known)).toBeGreaterThan(0.5);
		expect(med(unknown) / med(known)).toBeLessThan(2);
		await t.sql`delete from login_throttle`;
	});

	it('slows down after 3 failures and locks after 10, for known and unknown emails alike', async () => {
		expect([1, 2, 3, 4, 5, 6, 9].map(failureDelayMs)).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
		for (const email of ['coord@example.org', 'stranger@example.org']) {
			let last;
			for (let i = 0; i < LOCK_AFTER; i++) last = await attemptLogin(t.sql, email, 'bad guess number', noSleep);
			expect(last).toMatchObject({ ok: false, reason: 'locked' });
			// even the right password is refused while locked
			const locked = await attemptLogin(t.sql, email, 'correct horse battery', noSleep);
			expect(locked).toMatchObject({ ok: false, reason: 'locked' });
		}
		expect(delays.filter((d) => d > 0).length).toBeGreaterThan(0);
		await t.sql`update login_throttle set locked_until = now() - interval '1 second'`;
		expect(await attemptLogin(t.sql, 'coord@example.org', 'correct horse battery', noSleep)).toMatchObject({ ok: true });
	});
});

describe(dbTitle('sign-in under a burst'), () => {
	const roomy = (): LoginLimits => ({ perClient: new WindowCounter(1000, 60_000), verifications: new TokenBucket(1000, 1000) });
	const counting = () => {
		verifications.n = 0;
		return { calls: verifications };
	};

	it('verifies no more than LOCK_AFTER of 30 concurrent wrong passwords, and then refuses the right one', async () => {
		await t.sql`delete from login_throttle`;
		const limits = roomy();
		const { calls } = counting();
		const results = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				attemptLogin(t.sql, 'coord@example.org', `wrong guess ${i}!!`, { ...noSleep, limits, client: `10.0.0.${i}` })
			)
		);
		expect(calls.n).toBeLessThanOrEqual(LOCK_AFTER);
		expect(results.every((r) => !r.ok)).toBe(true);
		expect(results.filter((r) => !r.ok && r.reason === 'locked').length).toBeGreaterThanOrEqual(30 - LOCK_AFTER);
		const right = await attemptLogin(t.sql, 'coord@example.org', 'correct horse battery', { ...noSleep, limits });
		expect(right).toMatchObject({ ok: false, reason: 'locked' });
		expect(calls.n).toBeLessThanOrEqual(LOCK_AFTER);
		await t.sql`delete from login_throttle`;
	});

	it('limits failures per client address, across accounts, and a success does not count', async () => {
		const limits: LoginLimits = { perClient: new WindowCounter(5, 60_000), verifications: new TokenBucket(1000, 1000) };
		const { calls } = counting();
		const opts = { ...noSleep, limits, client: '192.0.2.7' };
		expect(await attemptLogin(t.sql, 'coord@example.org', 'correct horse battery', opts)).toMatchObject({ ok: true });
		const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attemptLogin(t.sql, `spray${i}@example.org`, 'Summer2026!!', opts)));
		expect(results.filter((r) => !r.ok && r.reason === 'throttled').length).toBe(7);
		expect(calls.n).toBe(1 + 5);
		const throttled = results.find((r) => !r.ok && r.reason === 'throttled');
		expect(throttled).toMatchObject({ retryAfter: expect.any(Number) });
		// another address is not affected
		expect(await attemptLogin(t.sql, 'coord@example.org', 'correct horse battery', { ...opts, client: '192.0.2.8' })).toMatchObject({ ok: true });
		await t.sql`delete from login_throttle`;
	});

	it('keeps password verifications under a global ceiling per second', async () => {
		let now = 0;
		const limits: LoginLimits = { perClient: new WindowCounter(1000, 60_000), verifications: new TokenBucket(4, 4, () => now) };
		const { calls } = counting();
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				attemptLogin(t.sql, `many${i}@example.org`, 'wrong password!!', { ...noSleep, limits, client: `198.51.100.${i}` })
			)
		);
		expect(calls.n).toBe(4);
		expect(results.filter((r) => !r.ok && r.reason === 'busy').length).toBe(16);
		now += 1000;
		expect(await attemptLogin(t.sql, 'coord@example.org', 'correct horse battery', { ...noSleep, limits })).toMatchObject({ ok: true });
		await t.sql`delete from login_throttle`;
	});
});

describe(dbTitle('sessions'), () => {
	it('resolves a token to its user, stores only its hash, and ends on logout', async () => {
		const token = await createSession(t.sql, { orgId, userId: coordId });
		expect(await resolveSession(t.sql, token)).toMatchObject({ userId: coordId, role: 'coordinator' });
		const [row] = await t.sql`select count(*)::int as n from user_session where token_hash = ${token}`;
		expect(row!.n).toBe(0);
		await endSession(t.sql, token);
		expect(await resolveSession(t.sql, token)).toBeNull();
	});

	it('slides the expiry when the session was last seen over a minute ago, and writes nothing otherwise', async () => {
		const token = await createSession(t.sql, { orgId, userId: coordId });
		const expiry = async () =>
			((await t.sql`select expires_at from user_session where token_hash = ${tokenHash(token)}`)[0]!.expires_at as Date).getTime();
		await t.sql`update user_session set expires_at = now() + interval '5 minutes' where token_hash = ${tokenHash(token)}`;
		const fresh = await expiry();
		await resolveSession(t.sql, token);
		expect(await expiry()).toBe(fresh);
		await t.sql`update user_session set last_seen_at = now() - interval '2 minutes' where token_hash = ${tokenHash(token)}`;
		await resolveSession(t.sql, token);
		expect(await expiry()).toBeGreaterThan(fresh + 60 * 60_000);
	});

	it('refuses forged, expired and deactivated-user sessions', async () => {
		expect(await resolveSession(t.sql, 'forged-token')).toBeNull();
		expect(await resolveSession(t.sql, undefined)).toBeNull();
		const token = await createSession(t.sql, { orgId, userId: coordId });
		await t.sql`update user_session set expires_at = now() - interval '1 minute' where token_hash = ${tokenHash(token)}`;
		expect(await resolveSession(t.sql, token)).toBeNull();
		const workerId = await createUser(t.sql, { orgId, email: 'w@example.org', name: 'W', role: 'worker', password: 'worker password 1' });
		const wt = await createSession(t.sql, { orgId, userId: workerId });
		expect(await resolveSession(t.sql, wt)).not.toBeNull();
		await updateUser(t.sql, orgId, workerId, { active: false });
		expect(await resolveSession(t.sql, wt)).toBeNull();
	});
});

describe(dbTitle('password reset'), () => {
	it('sets a new password once, ends sessions, and refuses the link again', async () => {
		const analyst = await createUser(t.sql, { orgId, email: 'a@example.org', name: 'A', role: 'analyst', password: 'analyst password' });
		const session = await createSession(t.sql, { orgId, userId: analyst });
		const token = await issuePasswordReset(t.sql, orgId, analyst, coordId);
		await expect(completePasswordReset(t.sql, token, 'short')).rejects.toMatchObject({ field: 'password', code: 'passwordTooShort' });
		expect(await completePasswordReset(t.sql, token, 'a brand new password')).toEqual({ orgId, userId: analyst });
		expect(await resolveSession(t.sql, session)).toBeNull();
		expect(await attemptLogin(t.sql, 'a@example.org', 'a brand new password', noSleep)).toMatchObject({ ok: true });
		await expect(completePasswordReset(t.sql, token, 'another new password')).rejects.toMatchObject({ field: 'token', code: 'resetInvalid' });
	});

	it('revokes the earlier links of a user when a new one is issued', async () => {
		const worker = await createUser(t.sql, { orgId, email: 'relink@example.org', name: 'R', role: 'worker', password: 'worker password 2' });
		const first = await issuePasswordReset(t.sql, orgId, worker, coordId);
		const second = await issuePasswordReset(t.sql, orgId, worker, coordId);
		expect(await resetIsValid(t.sql, first)).toBe(false);
		expect(await resetIsValid(t.sql, second)).toBe(true);
		await expect(completePasswordReset(t.sql, first, 'a first new password')).rejects.toMatchObject({ field: 'token' });
		// another user's link is untouched
		const other = await issuePasswordReset(t.sql, orgId, coordId, coordId);
		await issuePasswordReset(t.sql, orgId, worker, coordId);
		expect(await resetIsValid(t.sql, other)).toBe(true);
	});

	it("cannot be issued for another organisation's user", async () => {
		const other = (await createOrganisation(t.sql, { slug: 'other', name: 'O', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
		const stranger = await createUser(t.sql, { orgId: other, email: 's@example.org', name: 'S', role: 'worker' });
		await expect(issuePasswordReset(t.sql, orgId, stranger, coordId)).rejects.toBeInstanceOf(UserInputError);
		await expect(issuePasswordReset(t.sql, orgId, stranger, coordId)).rejects.toMatchObject({ field: 'user', code: 'userUnknown' });
	});
});
