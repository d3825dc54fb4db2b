import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Logger } from '../../util/logger';

export const SOCKET_PATH = '/link/';
/** Slack pings Socket Mode clients; the SDK gives up on a server that stays silent for 30 s. */
const SERVER_PING_INTERVAL_MS = 10_000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export type SocketDelivery =
  { acked: true; payload: unknown; ackMs: number } | { acked: false; reason: 'timeout' | 'no_connection' };

interface PendingAck {
  sentAt: number;
  resolve: (delivery: SocketDelivery) => void;
}

/**
 * The Socket Mode side of the simulator: hands out single-use connection URLs,
 * greets each connection with `hello`, sends envelopes and waits for the app's ack.
 */
export class SocketModeHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly events = new EventEmitter();
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly appId: string,
    private readonly logger: Logger,
    /** Told when a client connects or leaves, so that waiters on the workspace state wake up. */
    private readonly onConnectionsChanged: () => void = () => undefined,
  ) {
    this.events.on('change', () => this.onConnectionsChanged());
    this.pinger = setInterval(() => this.sockets.forEach((s) => s.ping()), SERVER_PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** apps.connections.open: a URL that admits one connection. */
  issueUrl(baseUrl: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws')}${SOCKET_PATH.slice(1)}?ticket=${ticket}`;
  }

  get connectionCount(): number {
    return this.sockets.length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== SOCKET_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', () => {
      const index = this.sockets.indexOf(ws);
      if (index >= 0) this.sockets.splice(index, 1);
      this.events.emit('change');
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'slack-sim', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.events.emit('change');
  }

  private onMessage(text: string): void {
    let ack: { envelope_id?: string; payload?: unknown };
    try {
      ack = JSON.parse(text) as typeof ack;
    } catch {
      this.logger.warn('socket mode client sent a message that is not JSON');
      return;
    }
    const waiting = ack.envelope_id ? this.pending.get(ack.envelope_id) : undefined;
    if (!waiting || !ack.envelope_id) return;
    this.pending.delete(ack.envelope_id);
    waiting.resolve({ acked: true, payload: ack.payload ?? {}, ackMs: Date.now() - waiting.sentAt });
  }

  private async connection(timeoutMs: number): Promise<WebSocket | undefined> {
    const open = (): WebSocket | undefined => this.sockets.findLast((s) => s.readyState === s.OPEN);
    if (open()) return open();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.events.off('change', check);
        resolve(open());
      };
      const check = (): void => void (open() && done());
      const timer = setTimeout(done, timeoutMs);
      this.events.on('change', check);
    });
  }

  /** Sends one envelope to the newest connection and resolves with the app's ack (or why there is none). */
  async deliver(type: EnvelopeType, payload: unknown, timeoutMs: number): Promise<SocketDelivery> {
    const ws = await this.connection(timeoutMs);
    if (!ws) return { acked: false, reason: 'no_connection' };
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve({ acked: false, reason: 'timeout' });
      }, timeoutMs);
      this.pending.set(envelopeId, {
        sentAt: Date.now(),
        resolve: (delivery) => {
          clearTimeout(timer);
          resolve(delivery);
        },
      });
      const acceptsResponsePayload = type !== 'events_api';
      ws.send(
        JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload }),
      );
    });
  }

  /** Asks every client to reconnect, as Slack does before recycling a server. */
  disconnectAll(reason: 'warning' | 'refresh_requested' = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'slack-sim' } });
    this.sockets.forEach((s) => s.send(message));
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.disconnectAll('warning');
    for (const waiting of this.pending.values()) waiting.resolve({ acked: false, reason: 'no_connection' });
    this.pending.clear();
    await Promise.all([...this.sockets].map((ws) => closeGracefully(ws)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

const CLOSE_GRACE_MS = 1_000;

/**
 * Completes the close handshake (a client that just sent its close frame gets the answer it waits for;
 * without it the Socket Mode SDK holds a 30-second timer), and cuts the connection if the peer stays silent.
 */
function closeGracefully(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === ws.OPEN) ws.close(1001, 'server shutting down');
  });
}
