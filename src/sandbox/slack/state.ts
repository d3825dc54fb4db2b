import { EventEmitter } from 'node:events';
import type {
  ApiCall,
  ResponseUrlPost,
  SimChannel,
  SimEphemeral,
  SimFile,
  SimMessage,
  SimUser,
  SimUserGroup,
  SimView,
  View,
} from './types';

/** Slack lets a trigger_id open a view for 3 seconds, once. */
export const TRIGGER_TTL_MS = 3_000;
/** A response_url takes up to 5 posts within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface Trigger {
  id: string;
  userId: string;
  issuedAt: number;
  used: boolean;
}

/** Where a response_url's posts land: the channel, the user, and the message the action came from. */
export interface ResponseUrlTarget {
  id: string;
  channel: string;
  user: string;
  messageTs?: string;
  threadTs?: string;
  issuedAt: number;
  uses: number;
}

/**
 * Everything the simulated workspace holds. Every mutation goes through `changed()`
 * so that `waitFor` wakes up on state changes instead of polling.
 */
export class SlackState {
  readonly users = new Map<string, SimUser>();
  readonly userGroups = new Map<string, SimUserGroup>();
  readonly channels = new Map<string, SimChannel>();
  readonly messageLog: SimMessage[] = [];
  readonly ephemeralLog: SimEphemeral[] = [];
  readonly viewsById = new Map<string, SimView>();
  readonly homeTabs = new Map<string, View>();
  readonly filesById = new Map<string, SimFile>();
  readonly responseLog: ResponseUrlPost[] = [];
  readonly callLog: ApiCall[] = [];
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, ResponseUrlTarget>();
  private readonly events = new EventEmitter();
  private sequence = 0;

  constructor(readonly clock: () => number) {
    this.events.setMaxListeners(0);
  }

  changed(): void {
    this.events.emit('change');
  }

  onChange(listener: () => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** A Slack-style id with a prefix letter: C…, V…, F…, and so on. */
  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}SIM${String(this.sequence).padStart(6, '0')}`;
  }

  /** Message timestamps are unique per workspace: epoch seconds plus a sequence. */
  nextTs(): string {
    this.sequence += 1;
    const seconds = Math.floor(this.clock() / 1000);
    return `${seconds}.${String(this.sequence % 1_000_000).padStart(6, '0')}`;
  }

  /** Messages addressed to a user land in the direct-message channel between the app and that user. */
  resolveChannel(idOrName: string): string | undefined {
    if (this.channels.has(idOrName)) return idOrName;
    const byName = [...this.channels.values()].find((c) => `#${c.name}` === idOrName || c.name === idOrName);
    if (byName) return byName.id;
    if (this.users.has(idOrName)) return directChannelId(idOrName);
    if (idOrName.startsWith('D') && this.users.has(`U${idOrName.slice(1)}`)) return idOrName;
    return undefined;
  }

  findMessage(channel: string, ts: string): SimMessage | undefined {
    return this.messageLog.find((m) => m.channel === channel && m.ts === ts);
  }

  findEphemeral(channel: string, ts: string): SimEphemeral | undefined {
    return this.ephemeralLog.find((m) => m.channel === channel && m.ts === ts);
  }

  issueTrigger(userId: string): string {
    const id = `${this.clock()}.${this.nextId('T').toLowerCase()}`;
    this.triggers.set(id, { id, userId, issuedAt: this.clock(), used: false });
    return id;
  }

  /** Spends a trigger_id; answers the Slack error code when it cannot be used. */
  exchangeTrigger(id: string): { ok: true; trigger: Trigger } | { ok: false; error: string } {
    const trigger = this.triggers.get(id);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.clock() - trigger.issuedAt >= TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    trigger.used = true;
    return { ok: true, trigger };
  }

  issueResponseUrl(target: Omit<ResponseUrlTarget, 'id' | 'issuedAt' | 'uses'>): ResponseUrlTarget {
    const entry = { ...target, id: this.nextId('R').toLowerCase(), issuedAt: this.clock(), uses: 0 };
    this.responseUrls.set(entry.id, entry);
    return entry;
  }

  addMessage(message: Omit<SimMessage, 'edits' | 'deleted'>): SimMessage {
    const stored: SimMessage = { ...message, edits: [], deleted: false };
    this.messageLog.push(stored);
    this.changed();
    return stored;
  }

  addEphemeral(ephemeral: Omit<SimEphemeral, 'deleted'>): SimEphemeral {
    const stored: SimEphemeral = { ...ephemeral, deleted: false };
    this.ephemeralLog.push(stored);
    this.changed();
    return stored;
  }

  recordCall(call: ApiCall): void {
    this.callLog.push(call);
    this.changed();
  }
}

export function directChannelId(userId: string): string {
  return `D${userId.slice(1)}`;
}
