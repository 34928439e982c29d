/** The severities a temporal event can have (the CHECK ck_temporal_events_severity), in their text order. */
export const SEVERITY_LEVELS = ['critical', 'info', 'warning'] as const;

export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
