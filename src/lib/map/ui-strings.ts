// MapLibre's own control texts in the UI language, the same for every map of the app.
type Translate = (id: string) => string;

/** Zoom and attribution buttons; with `gestures`, the "use two fingers / ctrl to zoom" hints. */
export function mapControlStrings(t: Translate, opts: { gestures?: boolean } = {}): Record<string, string> {
	return {
		'NavigationControl.ZoomIn': t('map.zoomIn'),
		'NavigationControl.ZoomOut': t('map.zoomOut'),
		'AttributionControl.ToggleAttribution': t('map.toggleAttribution'),
		...(opts.gestures
			? {
					'CooperativeGesturesHandler.WindowsHelpText': t('quicklog.location.gestureDesktop'),
					'CooperativeGesturesHandler.MacHelpText': t('quicklog.location.gestureMac'),
					'CooperativeGesturesHandler.MobileHelpText': t('quicklog.location.gestureMobile')
				}
			: {})
	};
}
