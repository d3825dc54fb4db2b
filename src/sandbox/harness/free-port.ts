import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port nothing listens on right now (for child processes that need a port number up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Something already listens where a server was asked to listen. */
export class PortInUseError extends Error {
  readonly code = 'EADDRINUSE';

  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`${host}:${port} is already in use`);
  }
}

/**
 * Throws PortInUseError when `host:port` cannot be listened on, by listening and closing at once:
 * a check before starting anything, so a busy port costs nothing to undo.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw err;
  }
  await new Promise((resolve) => server.close(resolve));
}
