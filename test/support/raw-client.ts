import { connect, type Socket } from 'node:net';

/** A raw TCP client of the test server, to hold connections the way an abusive client would. */
export interface HeldConnection {
  socket: Socket;
  /** Resolves with the milliseconds from opening to the server closing (or resetting) the connection. */
  closed: Promise<number>;
  /** Everything the server sent. */
  received(): string;
}

export function holdConnection(port: number): Promise<HeldConnection> {
  return new Promise((resolve, reject) => {
    const openedAt = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - openedAt)));
    socket.on('error', () => undefined); // a reset counts as closed
    socket.once('connect', () => resolve({ socket, closed, received: () => text }));
    socket.once('error', reject);
  });
}

/** Writes one byte every `everyMs` until the connection closes or `maxBytes` were sent (bounded). */
export function dribble(connection: HeldConnection, everyMs: number, maxBytes: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (connection.socket.destroyed || sent >= maxBytes) return clearInterval(timer);
    sent += 1;
    connection.socket.write('x');
  }, everyMs);
  void connection.closed.then(() => clearInterval(timer));
}

/** Whether the server closes the connection within `ms` (true) or keeps it open (false). */
export async function closesWithin(connection: HeldConnection, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const verdict = await Promise.race([connection.closed.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return verdict;
}
