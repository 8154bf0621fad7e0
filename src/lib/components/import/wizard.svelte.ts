// The import page's flow as state and transitions, without markup: choose what and which file →
// check the columns (preview and mapping) → dry run ("Controleren") → commit ("Importeren"). The
// commit is only offered for the exact file, source, mapping and options that were checked (the
// signature). The calls to the server come in through `WizardIO` and what touches the page
// (focus, sizes in the page's language, reloading the area layers) through `WizardHooks`, so the
// unit tests drive the class without a server or a browser.
import { buildHsdsMapping, inspectPackage, isHsdsMapping, packageName, readPackage } from './hsds-package';
import { HsdsPackageStep, type PackageIO } from './hsds-step.svelte';
import {
	KINDS,
	allFields,
	allOptions,
	allTexts,
	allLists,
	buildMapping,
	checkMapping,
	choicesFromMap,
	savedValueMap,
	resolveKind,
	missingColumns,
	sourceFromFilename,
	suggestMapping,
	SOURCE_PATTERN,
	type ImportKindId
} from './kinds';
import { inspectGeoJson, loadJobs, loadMappings, previewFile, saveMapping, uploadFile } from './upload';
import type { ImportResult, Job, Preview, Progress, SavedMapping } from '$lib/api/imports';
import type { Vocabularies, VocabularyEntry, VocabularyKind } from '$lib/domain/vocabulary';
import { apiGet, apiPost } from '$lib/api/client';
import { meta } from '$lib/api/map';
import { addEntry as addEntryEndpoint } from '$lib/api/vocabulary';
import { VALUE_FIELDS, type ValueField } from '$lib/domain/import/value-map';
import { describe, describeEntryRefusal, fileKey, megabytes, msg, type Msg } from './messages';

export type Mode = 'dry-run' | 'commit';
export type ServicesFormat = 'file' | 'hsds';

/** The server calls the flow makes. */
export interface WizardIO extends PackageIO {
	previewFile: typeof previewFile;
	inspectGeoJson: typeof inspectGeoJson;
	uploadFile: typeof uploadFile;
	loadMappings: typeof loadMappings;
	saveMapping: typeof saveMapping;
	loadJobs: typeof loadJobs;
	/** The organisation's vocabularies (for the category selects), or null. */
	loadVocabularies: () => Promise<Vocabularies | null>;
	/** Adds an entry to one of the organisation's lists (a value no entry fits). */
	addEntry: (kind: VocabularyKind, nl: string, en: string) => Promise<VocabularyEntry>;
}

async function loadVocabularies(): Promise<Vocabularies | null> {
	// no sign-in redirect from here: the page's own calls say a session ended, in its words
	return (await apiGet(meta, undefined, { login: false })).vocabularies;
}

async function addEntry(kind: VocabularyKind, nl: string, en: string): Promise<VocabularyEntry> {
	return (await apiPost(addEntryEndpoint, { kind, nl, en }, undefined, { login: false })).entry;
}

/** The real server calls, for the page. */
export const browserIO: WizardIO = {
	previewFile,
	inspectGeoJson,
	uploadFile,
	loadMappings,
	saveMapping,
	loadJobs,
	readPackage,
	inspectPackage,
	loadVocabularies,
	addEntry
};

/** What the flow asks of the page around it; all optional (tests leave them out). */
export interface WizardHooks {
	/** A size as the page writes it (in the page's language). */
	formatSize: (bytes: number) => string;
	/** Focus on the source field (its name is not valid). */
	focusSource: () => void;
	/** Focus on the mapping field with a problem, once drawn. */
	focusIssue: (field: string) => Promise<void>;
	/** Focus on a run's Stop button, its report, or back on its button (once drawn). */
	focusRun: (mode: Mode, where: 'abort' | 'report' | 'button') => void;
	/** A commit changed the organisation's area layers. */
	areaLayersChanged: () => void;
}

const defaultHooks: WizardHooks = {
	formatSize: (bytes) => megabytes('en', bytes),
	focusSource: () => {},
	focusIssue: async () => {},
	focusRun: () => {},
	areaLayersChanged: () => {}
};

/** How long after a stopped upload the list of jobs is read again (the server marks it failed). */
export const ABORTED_JOBS_DELAY_MS = 2500;

export class ImportWizard {
	// ---- step 1: kind, file, source ------------------------------------------------------------
	kindId = $state<ImportKindId>('contacts');
	file = $state<File | null>(null);
	readonly baseKind = $derived(KINDS.find((k) => k.id === this.kindId)!);
	/** The kind chosen, as it reads the chosen file (e.g. services from GeoJSON rather than CSV). */
	readonly kind = $derived(resolveKind(this.baseKind, this.file?.name));
	source = $state('');
	sourceTouched = $state(false);
	saved = $state<SavedMapping[]>([]);
	savedChoice = $state('');

	// ---- services from an HSDS package (several CSV files) instead of one file -----------------
	servicesFormat = $state<ServicesFormat>('file');
	readonly hsdsMode = $derived(this.kindId === 'services' && this.servicesFormat === 'hsds');
	// its calls go through this wizard's io and hooks (set by the constructor, after the fields)
	readonly hsds = new HsdsPackageStep({ readPackage: (o) => this.io.readPackage(o), inspectPackage: (t) => this.io.inspectPackage(t) }, (bytes) =>
		this.hooks.formatSize(bytes)
	);
	/** Why the package cannot be checked yet (missing or doubled tables, too large), or null. */
	readonly pkgBlock = $derived(this.hsdsMode ? this.hsds.block : null);
	/** Saved mappings of the format in use (an HSDS package's have no columns). */
	readonly savedHere = $derived(this.kindId === 'services' ? this.saved.filter((s) => isHsdsMapping(s.mapping) === this.hsdsMode) : this.saved);

	// ---- step 2: preview and mapping -----------------------------------------------------------
	preview = $state<Preview | null>(null);
	/** An Excel workbook's worksheet chosen (from 1); undefined: the first. */
	sheet = $state<number | undefined>(undefined);
	previewing = $state(false);
	previewError = $state<Msg | null>(null);
	/** Column choices by field key, fixed option values by option key, typed texts by text key. */
	columns = $state<Record<string, string>>({});
	crs = $state('auto');
	/** An HSDS package's table: package value (term, service name) → service category code. */
	valueMap = $state<Record<string, string>>({});
	/** Contacts, signals and services: per vocabulary column, file value → entry code or REJECT_CHOICE ('' = as matched). */
	values = $state<Partial<Record<ValueField, Record<string, string>>>>({});
	/** The characters that split multi-valued cells ('' = the file's default ones). */
	valueSeparator = $state('');
	/** The kind's column lists (e.g. indicator columns). */
	lists = $state<Record<string, string[]>>({});
	vocabularies = $state<Vocabularies | null>(null);
	flags = $state<Record<string, boolean>>({});
	mappingNote = $state<Msg | null>(null);
	saving = $state(false);
	saveMessage = $state<{ ok: boolean; text: Msg } | null>(null);

	readonly fileMapping = $derived(
		buildMapping(this.kind, this.columns, this.crs, this.lists, { values: this.values, separator: this.valueSeparator })
	);
	readonly mapping = $derived(this.hsdsMode ? buildHsdsMapping(this.valueMap, this.hsds.options) : this.fileMapping);
	readonly issues = $derived(this.preview && !this.hsdsMode ? checkMapping(this.kind, this.columns, this.crs, this.lists) : []);
	/** Something to check: a previewed file, or a package read whole with nothing blocking it. */
	readonly ready = $derived(this.hsdsMode ? this.hsds.ready : this.preview !== null);
	readonly sourceValid = $derived(SOURCE_PATTERN.test(this.source.trim()));

	// ---- steps 3 and 4: dry run and commit -----------------------------------------------------
	running = $state<Mode | null>(null);
	progress = $state<Progress | null>(null);
	sent = $state({ bytes: 0, total: 0 });
	runError = $state<{ mode: Mode; text: Msg } | null>(null);
	dryRun = $state<{ result: ImportResult; signature: string } | null>(null);
	commitResult = $state<ImportResult | null>(null);
	skipInvalid = $state(false);
	/** The file (or package) name the reports name their download after. */
	reportName = $state('');
	private controller: AbortController | null = null;

	jobs = $state<Job[] | null>(null);
	jobsError = $state<Msg | null>(null);

	/** The live region: the latest thing that happened, in words. */
	status = $state<Msg[]>([]);

	/** What a dry run checked: kind, format, file (or package), sheet, source, mapping and flags. */
	readonly signature = $derived(
		JSON.stringify({
			kind: this.kindId,
			format: this.hsdsMode ? 'hsds' : 'file',
			file: this.hsdsMode ? this.hsds.key : fileKey(this.file),
			sheet: this.sheet,
			source: this.source.trim(),
			mapping: this.mapping,
			flags: this.flags
		})
	);
	readonly dryRunCurrent = $derived(this.dryRun !== null && this.dryRun.signature === this.signature);
	readonly rejectedInDryRun = $derived(this.dryRun?.result.counts.rejected ?? 0);
	readonly validInDryRun = $derived(this.dryRun?.result.counts.valid ?? 0);
	readonly commitReady = $derived(
		this.dryRunCurrent && this.running === null && this.validInDryRun > 0 && (this.rejectedInDryRun === 0 || this.skipInvalid)
	);

	private readonly io: WizardIO;
	private readonly hooks: WizardHooks;

	constructor(io: WizardIO, hooks: Partial<WizardHooks> = {}) {
		this.io = io;
		this.hooks = { ...defaultHooks, ...hooks };
	}

	/** The page opened: the vocabularies, the kind's empty mapping, saved mappings and recent jobs. */
	start() {
		void this.loadVocabularies();
		this.columns = this.emptyColumns();
		this.flags = this.emptyFlags();
		void this.refreshSaved();
		void this.refreshJobs();
	}

	/** Column choices by field key and fixed option values by option key, all empty. */
	private emptyColumns(): Record<string, string> {
		const kind = this.kind;
		return Object.fromEntries([...allFields(kind), ...allOptions(kind), ...allTexts(kind)].map((f) => [f.key, '']));
	}

	private emptyFlags(): Record<string, boolean> {
		// a package's locations are points like a CSV's, whatever file was chosen before
		if (this.hsdsMode) return { fixSwapped: false, acceptOutside: false };
		return Object.fromEntries(this.kind.flags.map((f) => [f.key, false]));
	}

	async refreshSaved() {
		try {
			this.saved = await this.io.loadMappings(this.kind.id);
		} catch {
			this.saved = [];
		}
	}

	async refreshJobs() {
		try {
			this.jobs = await this.io.loadJobs();
			this.jobsError = null;
		} catch (e) {
			this.jobsError = describe(e);
		}
	}

	private async loadVocabularies() {
		try {
			const v = await this.io.loadVocabularies();
			if (v) this.vocabularies = v;
		} catch {
			/* the category selects stay empty; the server still checks */
		}
	}

	private resetRuns() {
		this.dryRun = null;
		this.commitResult = null;
		this.runError = null;
		this.progress = null;
		this.skipInvalid = false;
	}

	/**
	 * An import a crash interrupted, run again: its kind and source are chosen as they were; its
	 * file was not kept, so the user chooses it anew. False for a kind this page does not know.
	 */
	async rerun(job: { kind: string; source: string }): Promise<boolean> {
		const kind = KINDS.find((k) => k.id === job.kind);
		if (!kind) return false;
		if (kind.id === 'services') this.servicesFormat = 'file';
		await this.chooseKind(kind.id);
		this.source = job.source;
		this.sourceTouched = true;
		return true;
	}

	async chooseKind(id: ImportKindId) {
		const previewedAs = this.kind.file;
		this.kindId = id;
		this.columns = this.emptyColumns();
		this.flags = this.emptyFlags();
		this.crs = 'auto';
		this.valueMap = {};
		this.values = {};
		this.valueSeparator = '';
		this.lists = {};
		this.resetRuns();
		await this.refreshSaved();
		if (this.hsdsMode) {
			if (this.hsds.inspection) this.applySavedHsds();
			return;
		}
		// a file read as CSV must be read again as GeoJSON (or the other way round)
		if (this.file && (this.kind.file !== previewedAs || !this.preview)) await this.chooseFile(this.file);
		else if (this.preview) this.applySuggestions(this.preview);
	}

	/** Services: one file (CSV or GeoJSON) or an HSDS package. */
	async chooseFormat(f: ServicesFormat) {
		this.servicesFormat = f;
		this.savedChoice = '';
		this.status = [msg(f === 'hsds' ? 'import.hsds.format.chosenHsds' : 'import.hsds.format.chosenFile')];
		if (!this.sourceTouched)
			this.source = f === 'file' ? (this.file ? sourceFromFilename(this.file.name) : '') : this.hsds.files.length ? this.hsds.name : '';
		await this.chooseKind('services');
	}

	/** A package chosen: its tables named at once, then read and inspected by the server. */
	async choosePackage(files: File[]) {
		this.resetRuns();
		this.valueMap = {};
		this.mappingNote = null;
		this.saveMessage = null;
		if (!this.sourceTouched || !this.source.trim()) this.source = packageName(files);
		this.status = [msg('import.hsds.status.reading', { n: files.length })];
		const outcome = await this.hsds.choose(files);
		if (outcome === 'superseded') return;
		if (outcome === 'blocked') this.status = this.pkgBlock ? [this.pkgBlock] : [];
		else if (outcome === 'failed') this.status = this.hsds.error ? [this.hsds.error] : [];
		else {
			const inspection = this.hsds.inspection!;
			this.applySavedHsds();
			const found = Object.keys(inspection.tables).length;
			this.status = [
				msg('import.hsds.status.read', { found, terms: inspection.taxonomyTerms.length }),
				...(this.pkgBlock ? [this.pkgBlock] : []),
				...(this.mappingNote ? [this.mappingNote] : [])
			];
		}
	}

	/** The saved HSDS mapping of the source (when there is one) laid onto this package. */
	private applySavedHsds(s = this.saved.find((m) => m.source === this.source.trim() && isHsdsMapping(m.mapping))) {
		if (!s) {
			this.mappingNote = null;
			return;
		}
		this.valueMap = this.hsds.applySaved(s.mapping);
		this.mappingNote = msg('import.mapping.savedApplied', { source: s.source });
	}

	/** Suggested columns, then the saved mapping of the source when there is one. */
	private applySuggestions(p: Preview) {
		this.columns = { ...this.emptyColumns(), ...suggestMapping(this.kind, p.headers) };
		this.crs = 'auto';
		const found = this.savedHere.find((s) => s.source === this.source.trim());
		if (found) this.applySaved(found, p);
		else this.mappingNote = msg('import.mapping.suggested', { n: Object.values(this.columns).filter(Boolean).length });
	}

	/** The choice for one distinct value of a vocabulary column: an entry's code, REJECT_CHOICE, or '' (as matched). */
	chooseValue(field: ValueField, value: string, choice: string) {
		this.values = { ...this.values, [field]: { ...(this.values[field] ?? {}), [value]: choice } };
	}

	/**
	 * A new entry for a value no entry fits, added to the organisation's list and chosen for the
	 * value; null when added, else the reason in words (the label is empty or taken…).
	 */
	async createEntry(field: ValueField, value: string, nl: string, en: string): Promise<Msg | null> {
		try {
			const entry = await this.io.addEntry(VALUE_FIELDS[field].vocabulary, nl, en);
			await this.loadVocabularies();
			this.chooseValue(field, value, entry.code);
			this.status = [msg('valueMapping.status.added', { label: entry.nl, value })];
			return null;
		} catch (e) {
			return describeEntryRefusal(e);
		}
	}

	/** A saved mapping laid onto the file's columns: the columns it names that the file lacks are left empty. */
	private applySaved(s: SavedMapping, p: Preview) {
		const kind = this.kind;
		const missing = missingColumns(kind, s.mapping, p.headers);
		const next = this.emptyColumns();
		for (const f of allFields(kind)) {
			const c = s.mapping[f.key];
			if (typeof c === 'string' && p.headers.includes(c)) next[f.key] = c;
		}
		this.lists = Object.fromEntries(
			allLists(kind).map((l) => {
				const v = s.mapping[l.key];
				return [l.key, Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && p.headers.includes(c)) : []];
			})
		);
		for (const tx of allTexts(kind)) {
			const v = s.mapping[tx.key];
			if (typeof v === 'string') next[tx.key] = v;
		}
		for (const o of allOptions(kind)) {
			const v = s.mapping[o.key];
			if (typeof v === 'string' && (o.vocabulary !== undefined || o.values?.includes(v))) next[o.key] = v;
		}
		this.columns = next;
		this.crs = typeof s.mapping.crs === 'string' ? s.mapping.crs : 'auto';
		this.valueMap = {};
		this.values = Object.fromEntries((kind.valueFields ?? []).map((f) => [f, choicesFromMap(savedValueMap(s.mapping, f))]));
		this.valueSeparator = typeof s.mapping.separator === 'string' ? s.mapping.separator : '';
		this.mappingNote = missing.length
			? msg('import.mapping.savedPartly', { source: s.source, missing: missing.join(', ') })
			: msg('import.mapping.savedApplied', { source: s.source });
	}

	/** A file chosen (or the same workbook with another worksheet: `sheetNo`, kept on a change of kind). */
	async chooseFile(f: File, sheetNo = f === this.file ? this.sheet : undefined) {
		this.file = f;
		this.sheet = sheetNo;
		this.resetRuns();
		this.preview = null;
		this.previewError = null;
		this.valueMap = {};
		this.values = {};
		this.valueSeparator = '';
		this.lists = {};
		this.mappingNote = null;
		this.saveMessage = null;
		if (!this.sourceTouched || !this.source.trim()) this.source = sourceFromFilename(f.name);
		this.previewing = true;
		this.status = [msg('import.status.previewing', { name: f.name })];
		const kind = this.kind;
		const current = () => this.file === f && this.sheet === sheetNo;
		try {
			const p = kind.file === 'geojson' ? await this.io.inspectGeoJson(kind.api, f, kind.params) : await this.io.previewFile(f, undefined, sheetNo);
			if (!current()) return; // another file (or sheet) was chosen meanwhile
			this.preview = p;
			this.applySuggestions(p);
			this.status = [
				...(p.workbook ? [msg('import.xlsx.status', { sheet: p.workbook.sheet })] : []),
				msg('import.status.previewed', { columns: p.headers.length, rows: p.rows.length }),
				...(this.mappingNote ? [this.mappingNote] : [])
			];
		} catch (e) {
			if (!current()) return;
			this.previewError = describe(e);
			this.status = [this.previewError];
		} finally {
			if (current()) this.previewing = false;
		}
	}

	/** Another worksheet of the workbook: its columns previewed and suggested afresh. */
	async chooseSheet(index: number) {
		if (this.file) await this.chooseFile(this.file, index);
	}

	/** The saved mapping chosen in `savedChoice`: its source, and its mapping laid onto the file or package. */
	chooseSaved() {
		const s = this.savedHere.find((m) => m.source === this.savedChoice);
		if (!s) return;
		this.source = s.source;
		this.sourceTouched = true;
		if (this.hsdsMode) {
			this.applySavedHsds(s);
			this.status = this.mappingNote ? [this.mappingNote] : [];
		} else if (this.preview) {
			this.applySaved(s, this.preview);
			this.status = this.mappingNote ? [this.mappingNote] : [];
		}
	}

	private async focusFirstIssue() {
		const first = this.issues[0];
		if (first) await this.hooks.focusIssue(first.field);
	}

	/** Saves the mapping under the source (when both are complete). */
	async save() {
		this.saveMessage = null;
		if (!this.sourceValid) {
			this.saveMessage = { ok: false, text: msg('import.source.invalid') };
			this.hooks.focusSource();
			return;
		}
		if (this.issues.length) {
			this.saveMessage = { ok: false, text: msg('import.mapping.incomplete') };
			this.status = [this.saveMessage.text];
			return this.focusFirstIssue();
		}
		this.saving = true;
		try {
			const source = this.source.trim();
			await this.io.saveMapping(this.kind.id, source, this.mapping);
			this.saveMessage = { ok: true, text: msg('import.mapping.saved', { source }) };
			await this.refreshSaved();
		} catch (e) {
			this.saveMessage = { ok: false, text: describe(e) };
		} finally {
			this.saving = false;
			this.status = this.saveMessage ? [this.saveMessage.text] : [];
		}
	}

	/** A dry run or a commit of the file (or package) as it is mapped now. */
	async run(mode: Mode) {
		if (this.running || !this.ready) return;
		const hsds = this.hsdsMode;
		const upload = hsds ? this.hsds.body() : this.file;
		if (!upload) return;
		const name = hsds ? this.hsds.name : upload.name;
		this.runError = null;
		if (!this.sourceValid) {
			this.runError = { mode, text: msg('import.source.invalid') };
			this.status = [this.runError.text];
			this.hooks.focusSource();
			return;
		}
		if (this.issues.length) {
			this.runError = { mode, text: msg('import.mapping.incomplete') };
			this.status = [this.runError.text];
			return this.focusFirstIssue();
		}
		const sig = this.signature;
		const f = upload;
		const kind = this.kind;
		this.running = mode;
		this.reportName = name;
		this.progress = { bytesRead: 0, totalBytes: f.size, counts: { records: 0, valid: 0, rejected: 0, duplicates: 0, emptyLines: 0 } };
		this.sent = { bytes: 0, total: f.size };
		if (mode === 'dry-run') this.dryRun = null;
		this.commitResult = null;
		this.status = [msg(mode === 'dry-run' ? 'import.status.checking' : 'import.status.importing', { name })];
		const controller = new AbortController();
		this.controller = controller;
		// The run button is disabled while it runs: keyboard focus goes to Stop instead of the page.
		this.hooks.focusRun(mode, 'abort');
		let ok = false;
		try {
			const result = await this.io.uploadFile({
				api: kind.api,
				params: hsds ? { format: 'hsds' } : { ...kind.params, ...(this.preview?.workbook ? { sheet: String(this.preview.workbook.index) } : {}) },
				mode,
				file: f,
				filename: name,
				source: this.source.trim(),
				mapping: this.mapping,
				skipInvalid: mode === 'commit' && this.skipInvalid,
				flags: this.flags,
				onSent: (bytes, total) => (this.sent = { bytes, total }),
				onProgress: (p) => (this.progress = p),
				signal: controller.signal
			});
			this.progress = { bytesRead: f.size, totalBytes: f.size, counts: result.counts };
			this.sent = { bytes: f.size, total: f.size };
			const c = result.counts;
			ok = true;
			if (mode === 'dry-run') {
				this.dryRun = { result, signature: sig };
				this.skipInvalid = false;
				this.status = [msg('import.status.checked', { records: c.records, valid: c.valid, rejected: c.rejected })];
			} else {
				this.commitResult = result;
				if (this.kind.id === 'areas') this.hooks.areaLayersChanged();
				this.status = [
					result.status === 'rolled-back'
						? msg('import.report.rolledBack')
						: msg('import.report.committed', { imported: c.imported, updated: c.updated, skipped: c.skipped })
				];
			}
		} catch (e) {
			this.runError = { mode, text: describe(e) };
			this.status = [this.runError.text];
			this.progress = null;
			// the server notices a stopped upload a moment later and marks its job failed
			if (e instanceof DOMException && e.name === 'AbortError') setTimeout(() => void this.refreshJobs(), ABORTED_JOBS_DELAY_MS);
		} finally {
			this.running = null;
			this.controller = null;
			void this.refreshJobs();
			// Then to the report's heading, or back to the run button when it failed.
			this.hooks.focusRun(mode, ok ? 'report' : 'button');
		}
	}

	/** Stops the run under way (the server rolls back what it had not committed). */
	abort() {
		this.controller?.abort();
	}
}
