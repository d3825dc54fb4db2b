import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryResult, SlackDriver, SlackSim } from '../slack';
import type { Logger } from '../../util/logger';
import { PortInUseError } from '../harness/free-port';
import { PAGE_ASSETS } from './page/assets';
import { EMOJI_PATH } from './render/emoji';
import { EMOJI_IMAGES } from './render/emoji-images';
import { FILES_PATH, fileContentType } from './render/files';
import type { Persona } from './personas';
import { selectedOption, stateValuesFrom, type FormInput } from './view-state';
import type { WorkspaceView } from './workspace-snapshot';

export interface PageServerOptions {
  sim: SlackSim;
  driver: SlackDriver;
  view: WorkspaceView;
  people: Persona[];
  logger: Logger;
  host?: string;
  port?: number;
  /** How often the workspace is compared with what the pages last saw. */
  pollMs?: number;
}

export interface PageServer {
  url: string;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 256 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'expected a JSON object');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new HttpError(400, `missing "${name}"`);
  return value;
}

function optionalField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function formInputs(body: Record<string, unknown>): FormInput[] {
  return Array.isArray(body.inputs) ? (body.inputs as FormInput[]) : [];
}

/** What the page shows after a delivery: nothing when certops acknowledged, else why not. */
function outcome(result: DeliveryResult): { ok: boolean; error?: string; ack?: unknown } {
  if (result.status === 'acked' || result.status === 200) return { ok: true, ack: result.body };
  if (result.status === 'timeout')
    return { ok: false, error: 'certops did not acknowledge in time (Slack gives up after 3 seconds)' };
  if (result.status === 'no_connection') return { ok: false, error: 'certops is not connected to the workspace' };
  return { ok: false, error: `certops answered HTTP ${result.status}` };
}

/**
 * The page that plays Slack: static assets, the workspace as JSON for one person, Server-Sent Events
 * when it changes, and every click, command and submission sent to certops through the Slack driver.
 */
export async function startPageServer(opts: PageServerOptions): Promise<PageServer> {
  const { sim, driver, view, logger } = opts;
  const knownUsers = new Set(opts.people.map((p) => p.id));
  const streams = new Set<ServerResponse>();
  let lastVersion = view.version();

  const user = (body: Record<string, unknown>): string => {
    const id = field(body, 'user');
    if (!knownUsers.has(id)) throw new HttpError(400, `unknown user ${id}`);
    return id;
  };

  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    'POST /api/command': async (body) => {
      const line = field(body, 'text').trim();
      const match = /^(\/[a-z0-9_-]+)\s*([\s\S]*)$/i.exec(line);
      if (!match) throw new HttpError(400, 'type a slash command, for example /certs help');
      const [, command = '', text = ''] = match;
      if (command !== '/certs')
        return { ok: false, error: `${command} is not a command in this workspace; try /certs help` };
      return outcome(
        await driver.slashCommand({ userId: user(body), channelId: field(body, 'channel'), command, text }),
      );
    },
    'POST /api/action': async (body) => {
      const userId = user(body);
      const actionId = field(body, 'actionId');
      const viewId = optionalField(body, 'viewId');
      const channelId = optionalField(body, 'channel');
      const messageTs = optionalField(body, 'ts');
      const value = optionalField(body, 'value');
      const blocks = viewId
        ? sim.views().find((v) => v.id === viewId)?.view.blocks
        : channelId && messageTs
          ? messageBlocks(sim, channelId, messageTs, userId)
          : undefined;
      const selected = optionalField(body, 'selected');
      const option = selected ? selectedOption(blocks, actionId, selected) : undefined;
      const result = await driver.blockAction({
        userId,
        actionId,
        ...(channelId ? { channelId } : {}),
        ...(messageTs ? { messageTs } : {}),
        ...(optionalField(body, 'blockId') ? { blockId: optionalField(body, 'blockId') } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(option ? { selectedOption: option } : {}),
        ...(viewId ? { view: { id: viewId, values: stateValuesFrom(blocks, formInputs(body)) } } : {}),
      });
      return outcome(result);
    },
    'POST /api/submit': async (body) => {
      const userId = user(body);
      const viewId = field(body, 'viewId');
      const open = sim.views().find((v) => v.id === viewId && !v.closed);
      if (!open) throw new HttpError(409, 'this modal is no longer open');
      const result = outcome(
        await driver.viewSubmission({ userId, viewId, values: stateValuesFrom(open.view.blocks, formInputs(body)) }),
      );
      const ack = result.ack as { response_action?: string; errors?: Record<string, string> } | undefined;
      return ack?.response_action === 'errors' ? { ok: false, errors: ack.errors ?? {} } : result;
    },
    'POST /api/close': (body) => {
      const userId = user(body);
      const open = sim.views().filter((v) => v.userId === userId && v.id === field(body, 'viewId'));
      // Closing a modal is the user's own business; certops asked for no view_closed notification.
      for (const v of open) v.closed = true;
      return Promise.resolve({ ok: true });
    },
    'POST /api/home': async (body) => outcome(await driver.appHomeOpened({ userId: user(body) })),
    // A page (re)loaded is a new Slack client: modals left open in an earlier one are gone, as in Slack.
    'POST /api/session': () => {
      for (const v of sim.views())
        if (!v.closed && v.view.type === 'modal' && knownUsers.has(v.userId)) v.closed = true;
      return Promise.resolve({ ok: true });
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    const asset = req.method === 'GET' ? PAGE_ASSETS[url.pathname] : undefined;
    if (asset) {
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(asset.body);
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith(EMOJI_PATH)) {
      const image = EMOJI_IMAGES[url.pathname.slice(EMOJI_PATH.length).replace(/\.svg$/, '')];
      if (!image) throw new HttpError(404, 'no such emoji');
      res.writeHead(200, {
        'content-type': 'image/svg+xml',
        'cache-control': 'max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      res.end(image);
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith(FILES_PATH)) {
      const file = sim.files().find((f) => f.completed && f.id === url.pathname.slice(FILES_PATH.length));
      if (!file) throw new HttpError(404, 'no such file');
      const type = fileContentType(file.name);
      // Only images are shown in the page; anything else downloads, so an uploaded file never runs as a page.
      res.writeHead(200, {
        'content-type': type ?? 'application/octet-stream',
        'content-disposition': `${type ? 'inline' : 'attachment'}; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'content-security-policy': "default-src 'none'",
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(file.bytes);
      return;
    }
    if (key === 'GET /api/workspace') {
      sendJson(res, 200, {
        people: opts.people.map(({ id, name, realName, role }) => ({ id, name, realName, role })),
        bot: { id: sim.botUserId, name: 'certops' },
      });
      return;
    }
    if (key === 'GET /api/state') {
      const userId = url.searchParams.get('user') ?? '';
      if (!knownUsers.has(userId)) throw new HttpError(400, `unknown user ${userId}`);
      const channel = url.searchParams.get('channel') || (view.channelsOf(userId)[0]?.id ?? '');
      sendJson(res, 200, view.state(userId, channel, url.searchParams.get('thread') ?? undefined));
      return;
    }
    if (key === 'GET /api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`event: change\ndata: ${JSON.stringify(lastVersion)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const route = routes[key];
    if (!route) throw new HttpError(404, `no ${key}`);
    sendJson(res, 200, await route(await readJson(req)));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) logger.error({ err, url: req.url }, 'demo page request failed');
      if (!res.headersSent)
        sendJson(res, status, { ok: false, error: err instanceof Error ? err.message : String(err) });
      else res.end();
    });
  });

  const poll = setInterval(() => {
    const version = view.version();
    if (version === lastVersion) return;
    lastVersion = version;
    for (const stream of streams) stream.write(`event: change\ndata: ${JSON.stringify(version)}\n\n`);
  }, opts.pollMs ?? 300);
  poll.unref();

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearInterval(poll);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, opts.port ?? 0) : err);
    });
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}/`,
    stop: async () => {
      clearInterval(poll);
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function messageBlocks(sim: SlackSim, channel: string, ts: string, userId: string): unknown {
  return (sim.messages(channel).find((m) => m.ts === ts) ?? sim.ephemerals(channel, userId).find((e) => e.ts === ts))
    ?.blocks;
}
