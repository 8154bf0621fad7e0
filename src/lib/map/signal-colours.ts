// The signals layer's colours (Okabe–Ito orange and sky blue, a dark outline), apart from the
// layer code so the legend does not load MapLibre.
export const SIGNAL_COLOURS = { open: '#E69F00', worked: '#56B4E9', outline: '#1c1f24' } as const;
