import { formatDuration } from './access/access-ask';

/** "850 writes/s, ETA 1m58s": the rate of a long job and when it will end at that rate. */
export function throughputText(
  perSecond: number | undefined,
  done: number,
  total: number | undefined,
  unit = 'writes',
): string | undefined {
  if (perSecond === undefined || !Number.isFinite(perSecond) || perSecond <= 0) return undefined;
  const rate = `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)} ${unit}/s`;
  if (total === undefined || done >= total) return rate;
  return `${rate}, ETA ${formatDuration(Math.ceil((total - done) / perSecond))}`;
}
