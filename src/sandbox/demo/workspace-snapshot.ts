import type { SimChannel, SimEphemeral, SimMessage, SlackSim } from '../slack';
import { blocksToHtml } from './render/block-kit';
import { filesToHtml } from './render/files';
import { mrkdwnToHtml, type NameLookup } from './render/mrkdwn';
import { renderModal, type RenderedModal } from './render/view';
import type { Persona } from './personas';

export interface MessageView {
  ts: string;
  author: string;
  isBot: boolean;
  html: string;
  edited: boolean;
  ephemeral: boolean;
  replyCount: number;
}

export interface ChannelRef {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
}

export interface UserState {
  user: string;
  channels: ChannelRef[];
  messages: MessageView[];
  thread?: { parent?: MessageView; replies: MessageView[] };
  modal?: RenderedModal & { id: string };
  home: string;
}

/** Message timestamps order by seconds, then by the workspace-wide sequence after the dot. */
export function compareTs(a: string, b: string): number {
  const [as = '0', aq = '0'] = a.split('.');
  const [bs = '0', bq = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(aq) - Number(bq);
}

/** What one person sees of the simulated workspace, rendered for the page. */
export class WorkspaceView {
  private readonly names: NameLookup;

  constructor(
    private readonly sim: SlackSim,
    private readonly people: Persona[],
    private readonly channels: SimChannel[],
  ) {
    const userNames = new Map<string, string>([
      [sim.botUserId, 'certops'],
      ...people.map((p): [string, string] => [p.id, p.name]),
    ]);
    const channelNames = new Map(channels.map((c) => [c.id, c.name]));
    this.names = { user: (id) => userNames.get(id), channel: (id) => channelNames.get(id) };
  }

  channelsOf(userId: string): ChannelRef[] {
    return [
      ...this.channels.map((c): ChannelRef => ({ id: c.id, name: c.name, kind: 'channel' })),
      { id: this.sim.dmChannel(userId), name: 'certops', kind: 'dm' },
    ];
  }

  state(userId: string, channel: string, threadTs?: string): UserState {
    const visible = this.sim.messages(channel).filter((m) => !m.deleted);
    const mine = this.sim.ephemerals(channel, userId).filter((e) => !e.deleted);
    const topLevel = [...visible.filter((m) => !isReply(m)), ...mine.filter((e) => !e.thread_ts)];
    const state: UserState = {
      user: userId,
      channels: this.channelsOf(userId),
      messages: topLevel.sort((a, b) => compareTs(a.ts, b.ts)).map((m) => this.render(m, visible)),
      home: this.homeHtml(userId),
    };
    if (threadTs) {
      const parent = visible.find((m) => m.ts === threadTs);
      const replies = [
        ...visible.filter((m) => m.thread_ts === threadTs && m.ts !== threadTs),
        ...mine.filter((e) => e.thread_ts === threadTs),
      ];
      state.thread = {
        ...(parent ? { parent: this.render(parent, visible) } : {}),
        replies: replies.sort((a, b) => compareTs(a.ts, b.ts)).map((m) => this.render(m, visible)),
      };
    }
    const modal = this.sim
      .views()
      .filter((v) => v.userId === userId && !v.closed && v.view.type === 'modal')
      .at(-1);
    if (modal) state.modal = { id: modal.id, ...renderModal(modal.view, this.names) };
    return state;
  }

  /** A fingerprint of everything the page shows; it changes whenever the workspace does. */
  version(): string {
    const views = this.sim.views().map((v) => `${v.id}:${v.closed ? 1 : 0}:${v.hash}`);
    return `${this.sim.calls().length}/${this.sim.responses().length}/${views.join(',')}`;
  }

  private homeHtml(userId: string): string {
    const home = this.sim.homeTab(userId);
    return home ? blocksToHtml(home.blocks, this.names) : '';
  }

  private render(message: SimMessage | SimEphemeral, channelMessages: SimMessage[]): MessageView {
    const ephemeral = !('edits' in message);
    const author = ephemeral ? this.sim.botUserId : message.user;
    const text =
      message.blocks.length > 0 ? blocksToHtml(message.blocks, this.names) : mrkdwnToHtml(message.text, this.names);
    const body = text + filesToHtml(('files' in message ? message.files : undefined) ?? []);
    return {
      ts: message.ts,
      author: this.names.user(author) ?? author,
      isBot: author === this.sim.botUserId,
      html: body,
      edited: !ephemeral && message.edits.length > 0,
      ephemeral,
      replyCount: ephemeral
        ? 0
        : channelMessages.filter((m) => m.thread_ts === message.ts && m.ts !== message.ts).length,
    };
  }
}

function isReply(message: SimMessage): boolean {
  return message.thread_ts !== undefined && message.thread_ts !== message.ts;
}
