// The client address for per-client sign-in limits: a proxy header only when configured.
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/lib/server/client-address';
import { TokenBucket, WindowCounter } from '../../src/lib/server/auth/limits';

const event = (headers: Record<string, string>, socket = '10.0.0.1') => ({
	request: new Request('http://localhost/login', { headers }),
	getClientAddress: () => socket
});

describe('clientAddress', () => {
	it('ignores forwarding headers unless one is configured', () => {
		expect(clientAddress(event({ 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe('10.0.0.1');
		expect(clientAddress(event({ 'x-real-ip': '203.0.113.9' }), '')).toBe('10.0.0.1');
	});

	it('reads the configured header, the last entry of a list (the one the proxy added)', () => {
		expect(clientAddress(event({ 'x-forwarded-for': '1.2.3.4, 203.0.113.9' }), 'X-Forwarded-For')).toBe('203.0.113.9');
		expect(clientAddress(event({ 'x-real-ip': '203.0.113.9' }), 'x-real-ip')).toBe('203.0.113.9');
		// configured but absent: the socket address
		expect(clientAddress(event({}), 'x-real-ip')).toBe('10.0.0.1');
	});
});

describe('sign-in limits', () => {
	it('counts per key in a window and gives back', () => {
		let now = 0;
		const c = new WindowCounter(2, 1000, () => now);
		expect([c.take('a'), c.take('a'), c.take('a'), c.take('b')]).toEqual([true, true, false, true]);
		c.give('a');
		expect(c.take('a')).toBe(true);
		expect(c.retryAfter('a')).toBe(1);
		now = 1000;
		expect(c.take('a')).toBe(true);
	});

	it('refills a token bucket at its rate, up to its burst', () => {
		let now = 0;
		const b = new TokenBucket(2, 3, () => now);
		expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
		now = 500;
		expect([b.take(), b.take()]).toEqual([true, false]);
		now = 60_000;
		expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
	});
});
