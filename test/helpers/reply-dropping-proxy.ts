import net from 'node:net';

/** Picks the command to cut at from the bytes a client sends (one or more RESP commands). */
export type CommandMatcher = (sent: Buffer) => boolean;

/** What happened to an armed cut: the matching bytes went to Redis, and the connection died before the reply. */
export interface CutReport {
  /** The bytes forwarded to Redis that matched (the command Redis then ran). */
  forwarded: Buffer;
  /** The reply Redis sent, never delivered to the client. */
  droppedReply: Buffer;
}

/**
 * A TCP proxy in front of a real Redis that, when armed, forwards the next command its matcher picks to Redis and
 * then closes the client's connection the moment Redis answers, without passing the answer on: the command ran, and
 * the client never learns it did. ioredis reconnects and sends the unanswered command again — the fault a command
 * must survive to be idempotent.
 */
export async function replyDroppingProxy(target: { host?: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let armed: { matcher: CommandMatcher; resolve: (report: CutReport) => void } | undefined;
  let connections = 0;

  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    // Set once this connection carried the armed command: Redis's next bytes are the reply to drop.
    let cut: { forwarded: Buffer; resolve: (report: CutReport) => void } | undefined;
    client.on('data', (chunk: Buffer) => {
      if (armed && !cut && armed.matcher(chunk)) {
        cut = { forwarded: chunk, resolve: armed.resolve };
        armed = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) {
        client.write(chunk);
        return;
      }
      client.destroy();
      upstream.destroy();
      cut.resolve({ forwarded: cut.forwarded, droppedReply: chunk });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Connections accepted so far (a reconnect after a cut is one more). */
    get connections(): number {
      return connections;
    },
    /** Cuts at the next command the matcher picks; the promise settles once the reply was dropped. */
    arm(matcher: CommandMatcher): Promise<CutReport> {
      if (armed) throw new Error('the proxy is already armed');
      return new Promise<CutReport>((resolve) => {
        armed = { matcher, resolve };
      });
    },
    /** True while an armed cut has not happened yet. */
    get armed(): boolean {
      return armed !== undefined;
    },
    disarm(): void {
      armed = undefined;
    },
    async close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type ReplyDroppingProxy = Awaited<ReturnType<typeof replyDroppingProxy>>;

/** Matches a script call, however ioredis sends it: EVALSHA with its SHA-1, or EVAL with its body. */
export function scriptCall(sha: string, bodyFragment: string, ...alsoContaining: string[]): CommandMatcher {
  return (sent) => {
    const text = sent.toString('latin1');
    const isScript = /\bevalsha\b/i.test(text)
      ? text.includes(sha)
      : /\beval\b/i.test(text) && text.includes(bodyFragment);
    return isScript && alsoContaining.every((s) => text.includes(s));
  };
}
