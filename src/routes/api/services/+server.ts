import { requireContext } from '$lib/server/context';
import { answer, apiRoute } from '$lib/server/api';
import { cachedAnswer } from '$lib/server/answer-cache';
import { serviceFeatures } from '$lib/server/queries/services';
import { services } from '$lib/api/map';

export const GET = apiRoute(async (event) => {
	const ctx = await requireContext(event.locals);
	return cachedAnswer(event, ctx, {
		endpoint: services.path,
		question: null,
		compute: async (reader) => answer(services, await serviceFeatures(reader, ctx.org.orgId))
	});
});
