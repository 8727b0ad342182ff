/**
 * Docker's plugin transport: HTTP/1.1 POSTs with JSON bodies on a unix socket in
 * /run/docker/plugins/ (a legacy plugin: dockerd finds it by the socket's name, which is the
 * driver's name). node:http is enough; every reply is 200 with the handler's JSON, or 404 for a
 * method this plugin does not implement (Docker then treats the capability as absent).
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ShoalError } from '../../errors.js';
import type { DockerPlugin } from './protocol.js';

const CONTENT_TYPE = 'application/vnd.docker.plugins.v1.2+json';
const BODY_MAX_BYTES = 1 << 20;

/** True if a process answers on the socket (then it is not ours to take over). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function servePlugin(plugin: DockerPlugin, socketPath: string): Promise<Server> {
  if (existsSync(socketPath)) {
    if (await socketAnswers(socketPath)) throw new ShoalError('ALREADY_EXISTS', `another process serves ${socketPath}`);
    unlinkSync(socketPath); // left by a daemon that was killed
  }
  mkdirSync(dirname(socketPath), { recursive: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_MAX_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': CONTENT_TYPE });
        res.end(JSON.stringify(body));
      };
      let body: unknown = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8').trim();
        if (size > BODY_MAX_BYTES) throw new Error(`request body over ${BODY_MAX_BYTES} bytes`);
        if (text !== '') body = JSON.parse(text) as unknown;
      } catch (e) {
        return reply(400, { Err: `bad request: ${(e as Error).message}`, Error: `bad request: ${(e as Error).message}` });
      }
      plugin.handle(req.url ?? '', body).then(
        (r) => (r === null ? reply(404, { Err: `${req.url ?? ''} is not implemented by the Shoal plugin` }) : reply(200, r)),
        (e: unknown) => reply(500, { Err: e instanceof Error ? e.message : String(e) }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return server;
}
