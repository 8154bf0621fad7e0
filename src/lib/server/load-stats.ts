// For the load bench (scripts/bench-load.ts): with ATLAS_LOAD_STATS=1 the server measures its
// event-loop delay (perf_hooks.monitorEventLoopDelay) and, on each SIGUSR2, prints one line
// `atlas-load-stats {"eventLoopDelayP99Ms":…,"eventLoopDelayMaxMs":…,"peakRssMb":…}` to stdout
// and starts measuring afresh. Off by default: nothing is measured or printed.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const LOAD_STATS_PREFIX = 'atlas-load-stats ';

export function startLoadStats(env: NodeJS.ProcessEnv = process.env): void {
	if (env.ATLAS_LOAD_STATS !== '1') return;
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	process.on('SIGUSR2', () => {
		const stats = {
			eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6),
			eventLoopDelayMaxMs: round(delay.max / 1e6),
			// resourceUsage().maxRSS is in kilobytes: the process's peak since it started
			peakRssMb: round(process.resourceUsage().maxRSS / 1024)
		};
		delay.reset();
		console.log(LOAD_STATS_PREFIX + JSON.stringify(stats));
	});
}

const round = (x: number) => Math.round(x * 10) / 10;
