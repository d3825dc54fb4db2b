import net from 'node:net';

/**
 * What a TCP front to kube-sim does with new connections: pass them through, hold them open and never answer
 * (a stuck API server), or drop them (a dead process).
 */
export type FrontMode = 'forward' | 'hang' | 'refuse';

/** A TCP front on 127.0.0.1 whose behaviour a test changes while clients are using it. */
export async function tcpFront(targetPort: number, mode: FrontMode = 'forward') {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    track(client);
    if (mode === 'hang') return;
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Applies to connections made from now on. */
    setMode(next: FrontMode) {
      mode = next;
    },
    /** Drops every open connection and refuses new ones, as if the client's peer died. */
    cut() {
      mode = 'refuse';
      dropAll();
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
