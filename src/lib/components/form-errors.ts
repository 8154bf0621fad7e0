// Errors that form actions return: the field they belong to, a translatable code and the
// server's own (English) message as a fallback when no translation exists for the code.
import type { FieldProblem } from '$lib/domain/errors';

/** The problem when it belongs to this field, else null. */
export function problemFor(p: FieldProblem | null | undefined, field: string): FieldProblem | null {
	return p && p.field === field && (p.code || p.message) ? p : null;
}

/**
 * A `use:enhance` submit function that flags the form busy while its action runs (buttons show
 * it and refuse a second submit). `reset: false` keeps what was typed after a successful save.
 */
export function busyWhile(set: (busy: boolean) => void, opts: { reset?: boolean } = {}) {
	return () => {
		set(true);
		return async ({ update }: { update: (o?: { reset?: boolean }) => Promise<void> }) => {
			await update({ reset: opts.reset ?? true });
			set(false);
		};
	};
}
