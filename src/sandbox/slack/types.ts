// Shapes of the simulated workspace, as a test reads them.

export type Block = Record<string, unknown>;

export interface View {
  type: 'modal' | 'home';
  [field: string]: unknown;
}

export interface SimMessageEdit {
  ts: string;
  text: string;
  blocks: Block[];
}

export interface SimFileRef {
  id: string;
  name: string;
  title: string;
}

export interface SimMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  text: string;
  blocks: Block[];
  files?: SimFileRef[];
  /** Message metadata (`event_type`, `event_payload`), returned by conversations.history only when asked for. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edits: SimMessageEdit[];
  deleted: boolean;
}

export interface SimEphemeral {
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: Block[];
  /** Where it came from: a chat.postEphemeral call or a post to a response_url. */
  via: 'chat.postEphemeral' | 'response_url';
  deleted: boolean;
}

export interface SimView {
  id: string;
  userId: string;
  view: View;
  hash: string;
  rootViewId: string;
  previousViewId?: string;
  externalId?: string;
  /** Closed by the user or by an empty `view_submission` acknowledgement. */
  closed: boolean;
}

export interface SimFile {
  id: string;
  name: string;
  title: string;
  length: number;
  bytes: Buffer;
  channels: string[];
  threadTs?: string;
  completed: boolean;
}

export interface ResponseUrlPost {
  url: string;
  status: number;
  body: Record<string, unknown>;
  channel: string;
  user: string;
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** HTTP status of the answer: 200, or 429 when rate limited. */
  status: number;
}

export interface SimUser {
  id: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  deleted?: boolean;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isAdmin?: boolean;
}

export interface SimUserGroup {
  id: string;
  handle: string;
  users: string[];
}

export interface SimChannel {
  id: string;
  name: string;
  /** Whether the app was invited; without chat:write.public Slack refuses posts otherwise. Default true. */
  botMember?: boolean;
}

export interface RateLimitSettings {
  enabled: boolean;
  /** Sustained chat.postMessage rate per channel. */
  perSecond?: number;
  /** Messages a channel may take at once before the sustained rate applies. */
  burst?: number;
  /** Fixed Retry-After; by default the time until the next token, rounded up. */
  retryAfterSeconds?: number;
}
