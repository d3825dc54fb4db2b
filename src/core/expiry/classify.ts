export type ExpiryStatus = 'expired' | 'critical' | 'warning' | 'ok';

export interface ExpiryThresholds {
  warningSeconds: number;
  criticalSeconds: number;
}

/** The configuration schema's defaults (critical under 7 days, warning under 30); a test keeps them equal. */
export const DEFAULT_THRESHOLDS: ExpiryThresholds = { warningSeconds: 30 * 86400, criticalSeconds: 7 * 86400 };

/** The thresholds of the configuration's expiry section (seconds after parsing). */
export function expiryThresholds(expiry: { warning: number; critical: number }): ExpiryThresholds {
  return { warningSeconds: expiry.warning, criticalSeconds: expiry.critical };
}

export interface ExpiryClass {
  status: ExpiryStatus;
  /** Whole seconds left (negative once expired). */
  residualSeconds: number;
}

/** Classifies an expiry date; the boundary instant itself belongs to the more urgent class. */
export function classify(notAfter: Date, now: Date, thresholds: ExpiryThresholds = DEFAULT_THRESHOLDS): ExpiryClass {
  const residualSeconds = Math.floor((notAfter.getTime() - now.getTime()) / 1000);
  let status: ExpiryStatus = 'ok';
  if (residualSeconds <= 0) status = 'expired';
  else if (residualSeconds <= thresholds.criticalSeconds) status = 'critical';
  else if (residualSeconds <= thresholds.warningSeconds) status = 'warning';
  return { status, residualSeconds };
}

/** True when the date falls within `seconds` from now (already expired counts). */
export function expiresWithin(notAfter: Date, now: Date, seconds: number): boolean {
  return notAfter.getTime() - now.getTime() <= seconds * 1000;
}
