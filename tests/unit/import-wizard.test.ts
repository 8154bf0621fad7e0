// The import page's flow (ImportWizard), driven without a server: the server calls are fakes.
// What it must keep: a commit is only offered for the exact file, sheet, source, mapping and
// options the last dry run checked; a saved mapping is laid onto the file's own columns; answers
// for a file (or package) no longer chosen are dropped.
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { ABORTED_JOBS_DELAY_MS, ImportWizard, type Mode, type WizardHooks, type WizardIO } from '../../src/lib/components/import/wizard.svelte';
import { describe as describeError, fileKey } from '../../src/lib/components/import/messages';
import { REJECT_CHOICE } from '../../src/lib/components/import/kinds';
import { readPackage } from '../../src/lib/components/import/hsds-package';
import type { HsdsInspection } from '../../src/lib/api/imports';
import type { UploadOptions } from '../../src/lib/components/import/upload';
import type { ImportResult, Preview, SavedMapping } from '../../src/lib/api/imports';
import { ApiError } from '../../src/lib/api/errors';

const HEADERS = ['Datum', 'Type contact', 'Breedte', 'Lengte', 'Team'];

function preview(headers = HEADERS, rows: Record<string, string>[] = [], extra: Partial<Preview> = {}): Preview {
	return { encoding: 'utf-8', bom: false, separator: ';', decimalComma: true, headers, headerLikely: true, rows, ...extra };
}

function result(mode: Mode, counts: { valid?: number; rejected?: number } = {}, extra: Partial<ImportResult> = {}): ImportResult {
	const valid = counts.valid ?? 3;
	const rejected = counts.rejected ?? 0;
	return {
		jobId: 1,
		mode,
		status: 'done',
		counts: {
			records: valid + rejected,
			valid,
			rejected,
			duplicates: 0,
			emptyLines: 0,
			imported: mode === 'commit' ? valid : 0,
			updated: 0,
			skipped: 0
		},
		errors: [],
		warnings: [],
		errorCodes: {},
		truncated: false,
		rejectedCsv: null,
		...extra
	};
}

const csv = (name = 'contacten noord.csv', text = 'Datum;Type contact\n', lastModified = 1) =>
	new File([text], name, { type: 'text/csv', lastModified });

/** A promise settled from outside, for an answer that arrives later. */
function deferred<T>() {
	let resolve!: (v: T) => void;
	let reject!: (e: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** The server calls as mocks; `over` gives some of them another answer. */
function fakeIO(over: Partial<WizardIO> = {}) {
	const io = {
		previewFile: vi.fn<WizardIO['previewFile']>(async () => preview()),
		inspectGeoJson: vi.fn<WizardIO['inspectGeoJson']>(async () =>
			preview(['naam', 'soort'], [], { geo: { features: 2, geometryTypes: { Point: 2 } } })
		),
		uploadFile: vi.fn<WizardIO['uploadFile']>(async (o) => result(o.mode)),
		loadMappings: vi.fn<WizardIO['loadMappings']>(async () => []),
		saveMapping: vi.fn<WizardIO['saveMapping']>(async () => {}),
		loadJobs: vi.fn<WizardIO['loadJobs']>(async () => []),
		readPackage: vi.fn<WizardIO['readPackage']>(readPackage),
		inspectPackage: vi.fn<WizardIO['inspectPackage']>(async () => inspection()),
		loadVocabularies: vi.fn<WizardIO['loadVocabularies']>(async () => null),
		addEntry: vi.fn<WizardIO['addEntry']>(async (_kind, nl, en) => ({ id: 99, code: 'toeleiding', nl, en }))
	};
	for (const [name, f] of Object.entries(over)) (io[name as keyof WizardIO] as Mock).mockImplementation(f);
	return io;
}

function inspection(): HsdsInspection {
	return {
		tables: { service: { file: 'services.csv', rows: 3 }, location: { file: 'locations.csv', rows: 3 } },
		errors: [],
		ignoredFiles: [],
		taxonomyTerms: [{ value: 'Night shelter', code: 'NS', services: 2 }],
		serviceNamesWithoutTerms: ['Straatdokter']
	};
}

function hooks() {
	return {
		focusSource: vi.fn<WizardHooks['focusSource']>(),
		focusIssue: vi.fn<WizardHooks['focusIssue']>(async () => {}),
		focusRun: vi.fn<WizardHooks['focusRun']>(),
		areaLayersChanged: vi.fn<WizardHooks['areaLayersChanged']>()
	};
}

/** A wizard started and given a contacts file whose columns are all suggested. */
async function withFile(io = fakeIO(), h = hooks()) {
	const w = new ImportWizard(io, h);
	w.start();
	await w.chooseFile(csv());
	return { w, io, h };
}

afterEach(() => {
	vi.useRealTimers();
});

describe('import wizard: choosing a file', () => {
	it('starts with contacts, its empty mapping and flags, and loads the saved mappings and jobs', async () => {
		const io = fakeIO();
		const w = new ImportWizard(io);
		w.start();
		expect(w.kind.id).toBe('contacts');
		expect(w.columns.occurredAt).toBe('');
		expect(w.columns.contactType).toBe('');
		expect(w.flags).toEqual({ fixSwapped: false, acceptOutside: false });
		expect(w.ready).toBe(false);
		await vi.waitFor(() => expect(w.jobs).toEqual([]));
		expect(io.loadMappings).toHaveBeenCalledWith('contacts');
	});

	it('previews the file, names the source after it and suggests the columns', async () => {
		const { w, io } = await withFile();
		expect(io.previewFile).toHaveBeenCalledWith(expect.any(File), undefined, undefined);
		expect(w.source).toBe('contacten noord');
		expect(w.columns).toMatchObject({ occurredAt: 'Datum', contactType: 'Type contact', lat: 'Breedte', lng: 'Lengte', team: 'Team' });
		expect(w.mappingNote).toEqual({ key: 'import.mapping.suggested', values: { n: 5 } });
		expect(w.issues).toEqual([]);
		expect(w.ready).toBe(true);
		expect(w.previewing).toBe(false);
		expect(w.status.map((m) => m.key)).toEqual(['import.status.previewed', 'import.mapping.suggested']);
	});

	it('runs an interrupted import again: its kind and source, and a file to choose', async () => {
		const w = new ImportWizard(fakeIO());
		w.start();
		expect(await w.rerun({ kind: 'signals', source: 'meldpunt-2026' })).toBe(true);
		expect(w.kind.id).toBe('signals');
		expect(w.source).toBe('meldpunt-2026');
		expect(w.file).toBe(null);
		await w.chooseFile(csv());
		expect(w.source).toBe('meldpunt-2026');
		expect(await w.rerun({ kind: 'payroll', source: 'x' })).toBe(false);
		expect(w.kind.id).toBe('signals');
	});

	it('keeps a source the user typed', async () => {
		const w = new ImportWizard(fakeIO());
		w.start();
		w.source = 'registratie-noord';
		w.sourceTouched = true;
		await w.chooseFile(csv());
		expect(w.source).toBe('registratie-noord');
	});

	it('drops a preview that answers after another file was chosen', async () => {
		const first = deferred<Preview>();
		const io = fakeIO();
		io.previewFile.mockImplementationOnce(() => first.promise);
		const w = new ImportWizard(io);
		w.start();
		const a = w.chooseFile(csv('a.csv'));
		await w.chooseFile(csv('b.csv'));
		first.resolve(preview(['other']));
		await a;
		expect(w.file?.name).toBe('b.csv');
		expect(w.preview?.headers).toEqual(HEADERS);
		expect(w.previewing).toBe(false);
	});

	it('tells a refused preview in words', async () => {
		const io = fakeIO({ previewFile: async () => Promise.reject(new ApiError(400, { code: 'empty_file', message: 'no header', param: 'file' })) });
		const w = new ImportWizard(io);
		w.start();
		await w.chooseFile(csv());
		expect(w.preview).toBeNull();
		expect(w.previewError).toEqual({ key: 'import.csv.errors.empty_file', values: undefined });
		expect(w.status).toEqual([w.previewError]);
		expect(w.ready).toBe(false);
	});

	it('reads a file again when the kind reads it in another format (services from GeoJSON)', async () => {
		const io = fakeIO();
		const w = new ImportWizard(io);
		w.start();
		await w.chooseFile(new File(['{}'], 'voorzieningen.geojson'));
		expect(io.previewFile).toHaveBeenCalledTimes(1);
		await w.chooseKind('services');
		expect(w.kind.file).toBe('geojson');
		expect(io.inspectGeoJson).toHaveBeenCalledWith('services', expect.any(File), { format: 'geojson' });
		expect(w.columns.name).toBe('naam');
		expect(w.columns.category).toBe('soort');
		expect(w.flags).toEqual({});
	});

	it('previews another worksheet of a workbook, and sends that sheet with the run', async () => {
		const io = fakeIO();
		io.previewFile.mockImplementation(async (_f, _s, sheet) =>
			preview(HEADERS, [], { workbook: { sheet: sheet === 2 ? 'Blad2' : 'Blad1', index: sheet ?? 1, sheets: ['Blad1', 'Blad2'] } })
		);
		const w = new ImportWizard(io);
		w.start();
		await w.chooseFile(new File(['x'], 'contacten.xlsx'));
		const before = w.signature;
		await w.chooseSheet(2);
		expect(io.previewFile).toHaveBeenLastCalledWith(expect.any(File), undefined, 2);
		expect(w.sheet).toBe(2);
		expect(w.signature).not.toBe(before);
		await w.run('dry-run');
		expect(io.uploadFile.mock.calls[0]![0].params).toEqual({ sheet: '2' });
	});
});

describe('import wizard: the file signature', () => {
	it('names a file by name, size and date', () => {
		expect(fileKey(csv('a.csv', 'ab', 5))).toBe('a.csv|2|5');
		expect(fileKey(null)).toBe('');
		expect(fileKey(csv('a.csv', 'ab', 5))).not.toBe(fileKey(csv('a.csv', 'abc', 5)));
		expect(fileKey(csv('a.csv', 'ab', 5))).not.toBe(fileKey(csv('a.csv', 'ab', 6)));
	});

	it('a file chosen again (the same name, changed since) drops what was checked', async () => {
		const { w } = await withFile();
		await w.run('dry-run');
		expect(w.dryRunCurrent).toBe(true);
		const before = w.signature;
		await w.chooseFile(csv('contacten noord.csv', 'Datum;Type contact\n1;2\n', 2));
		expect(w.signature).not.toBe(before);
		expect(w.dryRun).toBeNull();
		expect(w.dryRunCurrent).toBe(false);
		expect(w.commitReady).toBe(false);
	});

	it('a changed column, option, source or flag makes the check stale; undoing the change makes it current again', async () => {
		const { w } = await withFile();
		await w.run('dry-run');
		expect(w.commitReady).toBe(true);

		const changes: [string, () => void, () => void][] = [
			['column', () => (w.columns.team = ''), () => (w.columns.team = 'Team')],
			['crs', () => (w.crs = 'wgs84'), () => (w.crs = 'auto')],
			['source', () => (w.source = 'elders'), () => (w.source = 'contacten noord')],
			['flag', () => (w.flags.acceptOutside = true), () => (w.flags.acceptOutside = false)]
		];
		for (const [what, change, undo] of changes) {
			change();
			expect(w.dryRunCurrent, what).toBe(false);
			expect(w.commitReady, what).toBe(false);
			expect(w.dryRun, what).not.toBeNull(); // still shown, marked stale
			undo();
			expect(w.dryRunCurrent, what).toBe(true);
			expect(w.commitReady, what).toBe(true);
		}
		// spaces around the source are no change: the server trims them too
		w.source = ' contacten noord ';
		expect(w.dryRunCurrent).toBe(true);
	});

	it('another kind drops what was checked', async () => {
		const { w } = await withFile();
		await w.run('dry-run');
		await w.chooseKind('signals');
		expect(w.dryRun).toBeNull();
		expect(w.commitReady).toBe(false);
	});
});

describe('import wizard: dry run and commit', () => {
	it('checks the file as mapped now, then offers the commit with the same mapping', async () => {
		const { w, io, h } = await withFile();
		expect(w.commitReady).toBe(false);
		await w.run('dry-run');
		const dry = io.uploadFile.mock.calls[0]![0];
		expect(dry).toMatchObject({ api: 'contacts', mode: 'dry-run', source: 'contacten noord', skipInvalid: false, filename: 'contacten noord.csv' });
		expect(dry.mapping).toEqual({ occurredAt: 'Datum', contactType: 'Type contact', lat: 'Breedte', lng: 'Lengte', team: 'Team', crs: 'auto' });
		expect(w.dryRunCurrent).toBe(true);
		expect(w.status).toEqual([{ key: 'import.status.checked', values: { records: 3, valid: 3, rejected: 0 } }]);
		expect(h.focusRun.mock.calls).toEqual([
			['dry-run', 'abort'],
			['dry-run', 'report']
		]);

		await w.run('commit');
		const commit = io.uploadFile.mock.calls[1]![0];
		expect(commit.mode).toBe('commit');
		expect(commit.mapping).toEqual(dry.mapping);
		expect(w.commitResult?.counts.imported).toBe(3);
		expect(w.dryRunCurrent).toBe(true); // the dry run's report stays
		expect(w.status).toEqual([{ key: 'import.report.committed', values: { imported: 3, updated: 0, skipped: 0 } }]);
		expect(h.areaLayersChanged).not.toHaveBeenCalled();
	});

	it('a dry run is current only for what it checked, even when the mapping changed while it ran', async () => {
		const answer = deferred<ImportResult>();
		const io = fakeIO();
		io.uploadFile.mockImplementationOnce(() => answer.promise);
		const { w } = await withFile(io);
		const running = w.run('dry-run');
		expect(w.running).toBe('dry-run');
		expect(w.commitReady).toBe(false);
		w.columns.team = '';
		answer.resolve(result('dry-run'));
		await running;
		expect(w.running).toBeNull();
		expect(w.dryRun).not.toBeNull();
		expect(w.dryRunCurrent).toBe(false);
		expect(w.commitReady).toBe(false);
		w.columns.team = 'Team';
		expect(w.commitReady).toBe(true);
	});

	it('no valid row: nothing to commit', async () => {
		const io = fakeIO();
		io.uploadFile.mockImplementation(async (o) => result(o.mode, { valid: 0, rejected: 4 }));
		const { w } = await withFile(io);
		await w.run('dry-run');
		expect(w.dryRunCurrent).toBe(true);
		w.skipInvalid = true;
		expect(w.commitReady).toBe(false);
	});

	it('rejected rows: the commit waits for "skip the rejected rows", which a new check clears', async () => {
		const io = fakeIO();
		io.uploadFile.mockImplementation(async (o) => result(o.mode, { valid: 5, rejected: 2 }));
		const { w } = await withFile(io);
		await w.run('dry-run');
		expect(w.validInDryRun).toBe(5);
		expect(w.rejectedInDryRun).toBe(2);
		expect(w.commitReady).toBe(false);
		w.skipInvalid = true;
		expect(w.commitReady).toBe(true);
		// the tick is no part of what was checked
		expect(w.dryRunCurrent).toBe(true);
		await w.run('commit');
		expect(io.uploadFile.mock.calls[1]![0].skipInvalid).toBe(true);
		await w.run('dry-run');
		expect(io.uploadFile.mock.calls[2]![0].skipInvalid).toBe(false);
		expect(w.skipInvalid).toBe(false);
		expect(w.commitReady).toBe(false);
	});

	it('no second run while one runs', async () => {
		const answer = deferred<ImportResult>();
		const io = fakeIO();
		io.uploadFile.mockImplementationOnce(() => answer.promise);
		const { w } = await withFile(io);
		const running = w.run('dry-run');
		await w.run('dry-run');
		await w.run('commit');
		expect(io.uploadFile).toHaveBeenCalledTimes(1);
		answer.resolve(result('dry-run'));
		await running;
	});

	it('refuses to run without a valid source or with an incomplete mapping, and says where', async () => {
		const { w, io, h } = await withFile();
		w.source = 'ongeldig/bron';
		await w.run('dry-run');
		expect(w.runError).toEqual({ mode: 'dry-run', text: { key: 'import.source.invalid', values: undefined } });
		expect(h.focusSource).toHaveBeenCalledTimes(1);
		w.source = 'bron';
		w.columns.contactType = '';
		await w.run('dry-run');
		expect(w.runError?.text.key).toBe('import.mapping.incomplete');
		expect(h.focusIssue).toHaveBeenCalledWith('contactType');
		expect(io.uploadFile).not.toHaveBeenCalled();
		expect(w.running).toBeNull();
	});

	it('nothing to run before a file is previewed', async () => {
		const io = fakeIO();
		const w = new ImportWizard(io);
		w.start();
		await w.run('dry-run');
		expect(io.uploadFile).not.toHaveBeenCalled();
	});

	it('a commit of areas reloads the area layers', async () => {
		const io = fakeIO({ inspectGeoJson: async () => preview(['code', 'naam']) });
		const h = hooks();
		const w = new ImportWizard(io, h);
		w.start();
		await w.chooseKind('areas');
		await w.chooseFile(new File(['{}'], 'wijken.geojson'));
		w.columns.layer = 'wijk';
		await w.run('dry-run');
		expect(w.commitReady).toBe(true);
		await w.run('commit');
		expect(h.areaLayersChanged).toHaveBeenCalledTimes(1);
	});

	it('a run stopped: told in words, its progress gone, the jobs read again a moment later', async () => {
		vi.useFakeTimers();
		const io = fakeIO();
		io.uploadFile.mockImplementationOnce(
			(o: UploadOptions) => new Promise((_, reject) => o.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
		);
		const { w, h } = await withFile(io);
		const running = w.run('dry-run');
		expect(w.progress?.bytesRead).toBe(0);
		w.abort();
		await running;
		expect(w.runError).toEqual({ mode: 'dry-run', text: { key: 'import.status.aborted', values: undefined } });
		expect(w.progress).toBeNull();
		expect(w.running).toBeNull();
		expect(h.focusRun).toHaveBeenLastCalledWith('dry-run', 'button');
		const jobsRead = io.loadJobs.mock.calls.length;
		await vi.advanceTimersByTimeAsync(ABORTED_JOBS_DELAY_MS);
		expect(io.loadJobs.mock.calls.length).toBe(jobsRead + 1);
	});

	it("follows the server's progress and the bytes sent", async () => {
		const answer = deferred<ImportResult>();
		const io = fakeIO();
		let options: UploadOptions | undefined;
		io.uploadFile.mockImplementationOnce((o) => {
			options = o;
			return answer.promise;
		});
		const { w } = await withFile(io);
		const running = w.run('dry-run');
		options!.onSent(10, 20);
		options!.onProgress({ bytesRead: 8, totalBytes: 20, counts: { records: 2, valid: 2, rejected: 0, duplicates: 0, emptyLines: 0 } });
		expect(w.sent).toEqual({ bytes: 10, total: 20 });
		expect(w.progress?.bytesRead).toBe(8);
		answer.resolve(result('dry-run'));
		await running;
		expect(w.sent.bytes).toBe(w.sent.total);
	});
});

describe('import wizard: saved mappings', () => {
	const saved = (source: string, mapping: Record<string, unknown>): SavedMapping => ({ source, mapping });

	it('the saved mapping of the source is laid onto the file: columns the file lacks stay empty and are named', async () => {
		const io = fakeIO({
			loadMappings: async () => [
				saved('contacten noord', { occurredAt: 'Datum', contactType: 'Soort', lat: 'Breedte', lng: 'Lengte', team: 'Ploeg', crs: 'wgs84' })
			]
		});
		const { w } = await withFile(io);
		expect(w.columns).toMatchObject({ occurredAt: 'Datum', contactType: '', lat: 'Breedte', lng: 'Lengte', team: '' });
		expect(w.crs).toBe('wgs84');
		expect(w.mappingNote).toEqual({ key: 'import.mapping.savedPartly', values: { source: 'contacten noord', missing: 'Soort, Ploeg' } });
		expect(w.issues.map((i) => i.field)).toEqual(['contactType']);
	});

	it('a complete saved mapping wins over the suggestions', async () => {
		const io = fakeIO({
			loadMappings: async () => [saved('contacten noord', { occurredAt: 'Datum', contactType: 'Type contact', lat: 'Breedte', lng: 'Lengte' })]
		});
		const { w } = await withFile(io);
		expect(w.columns.team).toBe(''); // suggested, but the saved mapping leaves it out
		expect(w.crs).toBe('auto');
		expect(w.mappingNote).toEqual({ key: 'import.mapping.savedApplied', values: { source: 'contacten noord' } });
	});

	it('choosing a saved mapping takes its source and lays it onto the previewed file', async () => {
		const io = fakeIO({
			loadMappings: async () => [saved('partner-x', { occurredAt: 'Datum', contactType: 'Type contact', x: 'Breedte', y: 'Lengte' })]
		});
		const { w } = await withFile(io);
		expect(w.source).toBe('contacten noord');
		w.savedChoice = 'partner-x';
		w.chooseSaved();
		expect(w.source).toBe('partner-x');
		expect(w.sourceTouched).toBe(true);
		expect(w.columns).toMatchObject({ x: 'Breedte', y: 'Lengte', lat: '', lng: '', team: '' });
		expect(w.status).toEqual([{ key: 'import.mapping.savedApplied', values: { source: 'partner-x' } }]);
		// the source typed stays for the next file
		await w.chooseFile(csv('ander.csv'));
		expect(w.source).toBe('partner-x');
	});

	it('options, texts, column lists and the value table come along; what the file or kind lacks does not', async () => {
		const io = fakeIO({
			previewFile: async () => preview(['code', 'bevolking', 'dichtheid', 'aandeel_65plus']),
			loadMappings: async (kind: string) =>
				kind === 'area_indicators' ? [saved('indicatoren', { code: 'code', layer: 'wijk', indicators: ['dichtheid', 'werkloosheid', 3] })] : []
		});
		const w = new ImportWizard(io);
		w.start();
		await w.chooseKind('area_indicators');
		w.source = 'indicatoren';
		w.sourceTouched = true;
		await w.chooseFile(csv('indicatoren.csv'));
		expect(w.columns).toMatchObject({ code: 'code', layer: 'wijk', population: '' });
		expect(w.lists).toEqual({ indicators: ['dichtheid'] });
		expect(w.mapping).toEqual({ code: 'code', layer: 'wijk', indicators: ['dichtheid'] });

		const signals = fakeIO({
			previewFile: async () => preview(['Datum', 'Omschrijving']),
			loadMappings: async () => [saved('meldingen', { reportedAt: 'Datum', description: 'Omschrijving', defaultReporterKind: 'alien' })]
		});
		const s = new ImportWizard(signals);
		s.start();
		await s.chooseKind('signals');
		s.source = 'meldingen';
		s.sourceTouched = true;
		await s.chooseFile(csv('meldingen.csv'));
		expect(s.columns.defaultReporterKind).toBe(''); // not one of the fixed values
		signals.loadMappings.mockResolvedValue([
			saved('meldingen', { reportedAt: 'Datum', description: 'Omschrijving', defaultReporterKind: 'partner' })
		]);
		await s.refreshSaved();
		s.savedChoice = 'meldingen';
		s.chooseSaved();
		expect(s.columns.defaultReporterKind).toBe('partner');

		const services = fakeIO({
			previewFile: async () => preview(['Naam', 'Soort', 'lat', 'lng'], [{ Naam: 'A', Soort: 'Inloop', lat: '51', lng: '3.7' }]),
			loadMappings: async () => [
				saved('voorzieningen', { name: 'Naam', category: 'Soort', lat: 'lat', lng: 'lng', categories: { Inloop: 'inloop', Fout: 7 } })
			]
		});
		const v = new ImportWizard(services);
		v.start();
		await v.chooseKind('services');
		v.source = 'voorzieningen';
		v.sourceTouched = true;
		await v.chooseFile(csv('voorzieningen.csv'));
		// the same value map as contacts' and signals' values, written as the mapping's `categories`
		expect(v.values.category).toEqual({ Inloop: 'inloop' });
		expect(v.mapping.categories).toEqual({ Inloop: 'inloop' });
		expect(v.mapping.values).toBeUndefined();
		v.chooseValue('category', 'Fout', '!reject');
		expect(v.mapping.categories).toEqual({ Inloop: 'inloop', Fout: null });
		// a new entry made on the spot goes to the organisation's service categories
		await expect(v.createEntry('category', 'Pand', 'Pand', '')).resolves.toBeNull();
		expect(services.addEntry).toHaveBeenCalledWith('service_category', 'Pand', '');
		expect(v.mapping.categories).toEqual({ Inloop: 'inloop', Fout: null, Pand: 'toeleiding' });
	});

	it("a saved HSDS mapping is offered for packages only, and laid onto the package's terms", async () => {
		const hsds = saved('stad', { categories: { NS: 'nachtopvang' }, defaultCategory: 'andere', name: 'service' });
		const file = saved('bestand', { name: 'Naam', lat: 'lat', lng: 'lng', defaultCategory: 'andere' });
		const io = fakeIO({ loadMappings: async () => [hsds, file] });
		const w = new ImportWizard(io);
		w.start();
		await w.chooseKind('services');
		expect(w.savedHere).toEqual([file]);
		await w.chooseFormat('hsds');
		expect(w.savedHere).toEqual([hsds]);
		w.savedChoice = 'stad';
		w.chooseSaved();
		expect(w.source).toBe('stad');
		await w.choosePackage(fixturePackage());
		// the term named by its code in the saved mapping is keyed by its name, as the table shows it
		expect(w.valueMap).toEqual({ 'Night shelter': 'nachtopvang' });
		expect(w.hsds.options).toEqual({ defaultCategory: 'andere', name: 'service' });
		expect(w.mapping).toEqual({ categories: { 'Night shelter': 'nachtopvang' }, defaultCategory: 'andere', name: 'service' });
	});

	it('saving: refused with a message for an invalid source or an incomplete mapping, else saved and listed', async () => {
		const io = fakeIO();
		const { w, h } = await withFile(io);
		w.source = '';
		await w.save();
		expect(w.saveMessage).toEqual({ ok: false, text: { key: 'import.source.invalid', values: undefined } });
		expect(h.focusSource).toHaveBeenCalled();
		w.source = 'noord';
		w.columns.occurredAt = '';
		await w.save();
		expect(w.saveMessage?.text.key).toBe('import.mapping.incomplete');
		expect(h.focusIssue).toHaveBeenCalledWith('occurredAt');
		w.columns.occurredAt = 'Datum';
		io.loadMappings.mockResolvedValue([saved('noord', {})]);
		await w.save();
		expect(io.saveMapping).toHaveBeenCalledWith('contacts', 'noord', w.mapping);
		expect(w.saveMessage).toEqual({ ok: true, text: { key: 'import.mapping.saved', values: { source: 'noord' } } });
		expect(w.saved.map((s) => s.source)).toEqual(['noord']);
		expect(w.saving).toBe(false);
	});
});

const DIR = 'tests/fixtures/import/hsds/';
const fixturePackage = () => readdirSync(DIR).map((n) => new File([readFileSync(DIR + n)], n, { type: 'text/csv', lastModified: 1 }));

describe('import wizard: an HSDS package', () => {
	it('a package with a required table missing is read but not checked', async () => {
		const w = new ImportWizard(fakeIO());
		w.start();
		await w.chooseKind('services');
		await w.chooseFormat('hsds');
		await w.choosePackage(fixturePackage().filter((f) => f.name !== 'locations.csv'));
		expect(w.pkgBlock).toEqual({ key: 'import.hsds.blocking.missing', values: { tables: 'location' } });
		expect(w.hsds.texts).not.toBeNull();
		expect(w.ready).toBe(false);
		expect(w.source).toBe('hsds-pakket');
	});

	it('a complete package is checked as one upload, and another package drops the check', async () => {
		const io = fakeIO();
		const w = new ImportWizard(io);
		w.start();
		await w.chooseKind('services');
		await w.chooseFormat('hsds');
		expect(w.flags).toEqual({ fixSwapped: false, acceptOutside: false });
		await w.choosePackage(fixturePackage());
		expect(w.pkgBlock).toBeNull();
		expect(w.ready).toBe(true);
		expect(w.status[0]).toEqual({ key: 'import.hsds.status.read', values: { found: 2, terms: 1 } });
		await w.run('dry-run');
		const sent = io.uploadFile.mock.calls[0]![0];
		expect(sent.params).toEqual({ format: 'hsds' });
		expect(sent.filename).toBe('hsds-pakket');
		expect(sent.file.name).toBe('hsds-pakket.json');
		expect(w.commitReady).toBe(true);
		w.hsds.options.name = 'service';
		expect(w.commitReady).toBe(false);
		w.hsds.options.name = 'service_organization';
		expect(w.commitReady).toBe(true);
		const changed = fixturePackage();
		changed[0] = new File(['x'], changed[0]!.name, { lastModified: 2 });
		await w.choosePackage(changed);
		expect(w.dryRun).toBeNull();
		expect(w.commitReady).toBe(false);
	});

	it('drops the answers for a package no longer chosen', async () => {
		const late = deferred<HsdsInspection>();
		const io = fakeIO();
		io.inspectPackage.mockImplementationOnce(() => late.promise);
		const w = new ImportWizard(io);
		w.start();
		await w.chooseKind('services');
		await w.chooseFormat('hsds');
		const first = w.choosePackage(fixturePackage());
		await vi.waitFor(() => expect(io.inspectPackage).toHaveBeenCalledTimes(1));
		const second = fixturePackage().slice(0, 3);
		await w.choosePackage(second);
		late.resolve({ ...inspection(), taxonomyTerms: [] });
		await first;
		expect(w.hsds.files).toBe(second);
		expect(w.hsds.inspection?.taxonomyTerms).toHaveLength(1);
		expect(w.hsds.reading).toBe(false);
	});
});

describe('import wizard: failures in words', () => {
	it("maps the server's refusals to messages", () => {
		const key = (e: unknown) => describeError(e).key;
		expect(key(new DOMException('aborted', 'AbortError'))).toBe('import.status.aborted');
		expect(describeError(new ApiError(400, { code: 'xlsx_encrypted', message: 'x', param: 'file', values: { a: 1 } }))).toEqual({
			key: 'import.xlsx.errors.encrypted',
			values: { a: 1 }
		});
		expect(key(new ApiError(413, { code: 'http', message: 'x' }))).toBe('import.errors.tooLarge');
		expect(key(new ApiError(401, { code: 'http', message: 'x' }))).toBe('import.errors.signedOut');
		expect(key(new ApiError(403, { code: 'http', message: 'x' }))).toBe('import.errors.forbidden');
		expect(key(new ApiError(0, { code: 'http', message: 'x' }))).toBe('import.errors.network');
		expect(key(new ApiError(400, { code: 'http', message: 'x', param: 'source' }))).toBe('import.source.invalid');
		expect(describeError(new ApiError(400, { code: 'http', message: 'bad row', param: 'file' }))).toEqual({
			key: 'import.errors.file',
			values: { message: 'bad row' }
		});
		expect(describeError(new ApiError(500, { code: 'http', message: 'boom' }))).toEqual({ key: 'import.errors.server', values: { message: 'boom' } });
		expect(key(new TypeError('fetch failed'))).toBe('import.errors.network');
	});

	it('a list of jobs that cannot be read is told, and cleared when it can', async () => {
		const io = fakeIO({ loadJobs: async () => Promise.reject(new ApiError(403, { code: 'http', message: 'x' })) });
		const w = new ImportWizard(io);
		await w.refreshJobs();
		expect(w.jobsError?.key).toBe('import.errors.forbidden');
		io.loadJobs.mockResolvedValue([]);
		await w.refreshJobs();
		expect(w.jobsError).toBeNull();
		expect(w.jobs).toEqual([]);
	});
});

describe('import wizard: mapping the values of vocabulary columns', () => {
	it('a value choice goes into mapping.values (reject as null), makes the check stale, and comes back from a saved mapping', async () => {
		const { w, io } = await withFile();
		await w.run('dry-run');
		expect(w.dryRunCurrent).toBe(true);
		w.chooseValue('contactType', 'Opvolging', 'opvolging');
		w.chooseValue('contactType', 'Toeleiding', REJECT_CHOICE);
		w.chooseValue('contactType', 'Straathoek', '');
		expect(w.mapping.values).toEqual({ contactType: { Opvolging: 'opvolging', Toeleiding: null } });
		expect(w.dryRunCurrent).toBe(false);
		// a separator only goes along when a multi-valued column is mapped
		w.valueSeparator = '/';
		expect(w.mapping.separator).toBeUndefined();

		await w.run('dry-run');
		expect(io.uploadFile.mock.calls[1]![0].mapping.values).toEqual({ contactType: { Opvolging: 'opvolging', Toeleiding: null } });

		const io2 = fakeIO({
			loadMappings: async () => [
				{
					source: 'contacten noord',
					mapping: {
						occurredAt: 'Datum',
						contactType: 'Type contact',
						lat: 'Breedte',
						lng: 'Lengte',
						values: { contactType: { Opvolging: 'opvolging', Toeleiding: null } },
						separator: '|'
					}
				}
			]
		});
		const { w: w2 } = await withFile(io2);
		expect(w2.values).toEqual({ contactType: { Opvolging: 'opvolging', Toeleiding: REJECT_CHOICE }, targetGroups: {}, themes: {}, referral: {} });
		expect(w2.valueSeparator).toBe('|');
		expect(w2.mapping.values).toEqual({ contactType: { Opvolging: 'opvolging', Toeleiding: null } });
	});

	it('a new entry is added to the list and chosen for the value; a refusal is told in words', async () => {
		const { w, io } = await withFile();
		expect(await w.createEntry('contactType', 'Toeleiding', 'Toeleiding', 'Referral')).toBeNull();
		expect(io.addEntry).toHaveBeenCalledWith('contact_type', 'Toeleiding', 'Referral');
		expect(io.loadVocabularies).toHaveBeenCalledTimes(2);
		expect(w.values.contactType).toEqual({ Toeleiding: 'toeleiding' });

		io.addEntry.mockImplementation(async () => {
			throw new ApiError(400, { code: 'vocabularyLabelTaken', param: 'nl', message: 'taken', values: { label: 'Crisis' } });
		});
		expect(await w.createEntry('contactType', 'Crisis!', 'Crisis', '')).toEqual({
			key: 'errors.vocabularyLabelTaken',
			values: { label: 'Crisis' }
		});
	});
});
