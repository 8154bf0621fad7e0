// Accessibility scan (issue 13, point 8): axe-core, run inside the browser, on every page each
// role can open, at 360 and 1280 px. A serious or critical violation fails the test, unless it
// is listed in FALSE_POSITIVES below with a one-line reason. One browser; each role signs in once
// and its pages are scanned at both widths in the same tab. The findings of a run are written to
// test-results/a11y.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';
import { mayAccess, ROUTE_ACCESS, type Role } from '../../src/lib/domain/access';
import { signIn } from './auth';
import { collectPageErrors, launchBrowser, screenshotPath } from './browser';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [360, 1280] as const;

/** Findings axe reports that are not barriers here: rule, the node's selector (part of it), why. */
const FALSE_POSITIVES: { rule: string; target: RegExp; reason: string }[] = [];

/** Every scan: how many rules passed, and what axe found at any impact (for the report). */
const scanned: { page: string; width: number; passes: number; violations: string[] }[] = [];

interface Finding {
	page: string;
	width: number;
	rule: string;
	impact: string;
	help: string;
	targets: string[];
}

/** Routes that are no page to scan: downloads, the calendar feed, signing out, the API. */
const NOT_PAGES = /^\/api\/|\/export$|\.ics$|^\/logout$/;
/** Pages of the app (ROUTE_ACCESS), so a new page is scanned without editing this list. */
const PAGES = Object.keys(ROUTE_ACCESS).filter((r) => !NOT_PAGES.test(r));

/** The pages a role can open, with their parameters filled in (a round's id, today's date). */
function pagesFor(role: Role, params: { id: number; date: string }): string[] {
	return PAGES.filter((r) => ROUTE_ACCESS[r] !== 'public' && mayAccess(r, role)).map((r) =>
		r.replace('[id]', String(params.id)).replace('[date]', params.date)
	);
}

/** The page has drawn what it loads: no SvelteKit navigation pending, maps idle, no busy region. */
async function settle(page: Page) {
	await page.locator('main, [role="main"]').first().waitFor();
	await page.waitForLoadState('networkidle').catch(() => {});
	await page
		.waitForFunction(() => [...document.querySelectorAll('[data-map-idle]')].every((m) => m.getAttribute('data-map-idle') === 'true'), null, {
			timeout: 30_000
		})
		.catch(() => {});
	await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 }).catch(() => {});
}

async function scan(page: Page, path: string, width: number): Promise<Finding[]> {
	await page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
	await settle(page);
	await page.evaluate(AXE_SOURCE);
	const results = (await page.evaluate(() =>
		(window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
			resultTypes: ['violations']
		})
	)) as AxeResults;
	scanned.push({
		page: path,
		width,
		passes: results.passes.length,
		violations: results.violations.map((v) => `${v.id}:${v.impact}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
	});
	const serious = results.violations.filter((v: Result) => v.impact === 'serious' || v.impact === 'critical');
	const findings: Finding[] = [];
	for (const v of serious) {
		const targets = v.nodes.map((n) => n.target.join(' ')).filter((t) => !FALSE_POSITIVES.some((f) => f.rule === v.id && f.target.test(t)));
		if (targets.length) findings.push({ page: path, width, rule: v.id, impact: v.impact!, help: v.help, targets });
	}
	if (findings.length) await page.screenshot({ path: screenshotPath(`a11y-${path.replace(/\W+/g, '_') || 'root'}-${width}`), fullPage: true });
	return findings;
}

describe(`accessibility scan [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let roundId = 0;
	let today = '';
	const all: Finding[] = [];

	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		writeFileSync(resolve('test-results', 'a11y.json'), JSON.stringify({ serious: all, scanned }, null, 2));
		await browser?.close();
	});

	/** A context of its own for the role, signed in once, and one tab for all its pages. */
	async function roleTab(role: Role | null): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
		const ctx = await browser.newContext({
			baseURL: inject('baseURL'),
			locale: 'nl-BE',
			timezoneId: 'Europe/Brussels',
			viewport: { width: 1280, height: 800 }
		});
		ctx.setDefaultTimeout(30_000);
		if (role) await signIn(ctx, role);
		const page = await ctx.newPage();
		return { ctx, page, errors: collectPageErrors(page) };
	}

	async function scanAll(role: Role | null, paths: string[]) {
		const { ctx, page, errors } = await roleTab(role);
		try {
			if (role === 'coordinator' && !roundId) {
				const res = await ctx.request.get('/api/rounds');
				const { rounds } = (await res.json()) as { rounds: { roundId: number; title: string }[] };
				roundId = rounds.find((r) => r.title === 'Avondronde Stationsbuurt')?.roundId ?? rounds[0]!.roundId;
				today = ((await (await ctx.request.get('/api/meta')).json()) as { today: string }).today;
			}
			const found: Finding[] = [];
			const before = scanned.length;
			for (const path of paths.length ? paths : pagesFor(role!, { id: roundId, date: today })) {
				await page.goto(path);
				for (const width of WIDTHS) found.push(...(await scan(page, path, width)));
			}
			if (role === 'coordinator') {
				// the zone form's other half: the map on which cells are picked
				await page.goto('/zones');
				await page.getByLabel('Zelf gekozen zeshoeken').check();
				await page.getByTestId('zone-pick-map').waitFor();
				for (const width of WIDTHS) found.push(...(await scan(page, '/zones (cells)', width)));
			}
			all.push(...found.map((f) => ({ ...f, page: `${role ?? 'signed out'} ${f.page}` })));
			for (const sc of scanned.slice(before)) sc.page = `${role ?? 'signed out'} ${sc.page}`;
			// axe ran on every page: each scan checked rules
			expect(scanned.slice(before).every((s) => s.passes > 10)).toBe(true);
			expect(found, JSON.stringify(found, null, 1)).toEqual([]);
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	}

	it('knows every page: each is scanned for at least one role', () => {
		const params = { id: 1, date: '2026-01-01' };
		const scannedPages = new Set((['coordinator', 'worker', 'analyst'] as const).flatMap((r) => pagesFor(r, params)));
		const missing = PAGES.filter((r) => ROUTE_ACCESS[r] !== 'public').filter(
			(r) => !scannedPages.has(r.replace('[id]', '1').replace('[date]', params.date))
		);
		expect(missing).toEqual([]);
		// the field pages and the reports are among them
		expect(pagesFor('worker', params)).toEqual(expect.arrayContaining(['/today', '/signals', '/log', '/my-zones', '/rounds/1', '/']));
		expect(pagesFor('analyst', params)).toEqual(['/', '/reports/trends', '/reports']);
	});
	it('coordinator: every page at 360 and 1280 px', () => scanAll('coordinator', []), 600_000);
	it('worker: every page at 360 and 1280 px', () => scanAll('worker', []), 240_000);
	it('analyst: every page at 360 and 1280 px', () => scanAll('analyst', []), 180_000);
	it('analyst: a page the role may not open', () => scanAll('analyst', ['/zones']), 120_000);
	it('signed out: the login page and an expired reset link', () => scanAll(null, ['/login', '/reset/not-a-token']), 120_000);
});
