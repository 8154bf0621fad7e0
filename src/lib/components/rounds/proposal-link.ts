// A week's proposed rounds handed to the evening page ("Bewerken"): JSON in the URL, checked on
// the way in (a hand-edited link gives nothing, never a broken page).
import { z } from 'zod';
import { TRAVEL_MODES } from '$lib/domain/travel';
import type { ProposedDuo } from './evening-plan.svelte';

const proposalSchema = z
	.array(
		z.object({
			workerIds: z.array(z.number().int().min(1)).max(3),
			start: z.string().regex(/^[0-9a-f]{15}$/),
			budgetMinutes: z.number().int().min(15).max(600),
			travelMode: z.enum(TRAVEL_MODES),
			stops: z.array(z.object({ cell: z.string().regex(/^[0-9a-f]{15}$/), dwellMinutes: z.number().int().min(0).max(240) })).max(100)
		})
	)
	.max(5);

export function encodeProposal(duos: readonly ProposedDuo[]): string {
	return JSON.stringify(
		duos.map(({ workerIds, start, budgetMinutes, travelMode, stops }) => ({ workerIds, start, budgetMinutes, travelMode, stops }))
	);
}

export function decodeProposal(raw: string | null): ProposedDuo[] | null {
	if (!raw) return null;
	try {
		const parsed = proposalSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
