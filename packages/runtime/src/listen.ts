// Binding a server's port, for both server processes: resolves once it listens, and rejects with
// a message that says what to do when the port is taken or not allowed (instead of an uncaught
// `EADDRINUSE` after the start-up message), so the caller can exit non-zero.
import type { Server } from 'node:net';

export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): ListenError {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(
        `port ${port} is already in use on ${host}: stop the other process, or choose another port (PORT)`,
      );
    case 'EACCES':
      return new ListenError(`not allowed to listen on ${where}: choose a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`${host} is not an address of this machine (HOST)`);
    default:
      return new ListenError(`cannot listen on ${where}: ${error.message}`);
  }
}
