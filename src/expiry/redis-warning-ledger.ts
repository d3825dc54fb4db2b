import type { ExpiryStatus } from '../core/expiry';
import { expiryWarningKey, type NotificationDedupe } from '../state/notification-dedupe';
import type { WarningLedger } from './crossings';
import type { SnoozeStore } from '../state/snooze-store';

/** The ledger the bot uses: announcements in the notification dedupe, snoozes in their own keys. */
export class RedisWarningLedger implements WarningLedger {
  constructor(
    private readonly dedupe: NotificationDedupe,
    private readonly snoozes: SnoozeStore,
  ) {}

  isSnoozed(subjectId: string): Promise<boolean> {
    return this.snoozes.isSnoozed(subjectId);
  }

  claim(subjectId: string, threshold: ExpiryStatus, ttlSeconds: number): Promise<boolean> {
    return this.dedupe.once(expiryWarningKey(subjectId, threshold), ttlSeconds);
  }

  release(subjectId: string, threshold: ExpiryStatus): Promise<void> {
    return this.dedupe.forget(expiryWarningKey(subjectId, threshold));
  }
}
