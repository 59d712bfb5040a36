import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRawRoutes, type RawServerLimits } from './raw-routes.js';

let server: Server | null = null;

async function listen(limits: RawServerLimits): Promise<number> {
  const raw = createRawRoutes(limits);
  server = raw.serverFactory((request, response) => {
    request.on('end', () => response.end('ok'));
    request.resume();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(received));
  });
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('the raw server (every route, Fastify included)', () => {
  it('closes a connection whose headers do not arrive within the headers timeout', async () => {
    const port = await listen({ headersTimeoutMs: 100, requestTimeoutMs: 200, timeoutCheckIntervalMs: 20 });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose body does not arrive within the request timeout', async () => {
    const port = await listen({ headersTimeoutMs: 100, requestTimeoutMs: 200, timeoutCheckIntervalMs: 20 });
    const socket = await open(port);
    const closed = untilClosed(socket);
    socket.write('POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes new connections beyond the cap, and serves the ones it holds', async () => {
    const port = await listen({ maxConnections: 2 });
    const held = [await open(port), await open(port)];
    const extra = await open(port);
    expect(await untilClosed(extra)).toBe('');
    const first = held[0] as Socket;
    const answer = untilClosed(first);
    first.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*ok$/);
    for (const socket of held) {
      socket.destroy();
    }
  });
});
