/**
 * The Docker Engine API over its unix socket: plain HTTP/1.1 with JSON (node:http), for the calls a
 * node makes (containers, images, networks, version). dockerode did this job before; it is kept
 * for the tests' own set-up, but the daemon no longer loads it: dockerode pulls in docker-modem,
 * which loads ssh2 (and its native cpu-features) for `ssh://` hosts at require time, and its own
 * copy of @grpc/proto-loader and BuildKit session code. A node only ever talks to a unix socket, and
 * that cost ≈ 5 MB resident in every daemon (docs/benchmarks.md, "Idle manager memory: …").
 *
 * The methods keep dockerode's names and shapes (`getContainer(id).stop({ t })`, `listContainers({
 * all, filters })`, errors with `statusCode` and `json.message`), so the callers read the same and
 * a dockerode client satisfies `EngineApi` too (the tests pass one).
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type Docker from 'dockerode';

/** A container handle; no request is made until a method is called. */
export interface EngineContainer {
  readonly id: string;
  start(): Promise<unknown>;
  stop(opts?: { t?: number }): Promise<unknown>;
  inspect(): Promise<Docker.ContainerInspectInfo>;
  remove(opts?: { force?: boolean; v?: boolean }): Promise<unknown>;
  update(opts: object): Promise<unknown>;
  /** The multiplexed stdout/stderr stream (see demuxStream), following until the container ends. */
  logs(opts: { follow: true; stdout: boolean; stderr: boolean; since: number; abortSignal?: AbortSignal }): Promise<NodeJS.ReadableStream>;
  /** Resolves when the container stops, with its exit status. */
  wait(opts?: { abortSignal?: AbortSignal }): Promise<{ StatusCode: number }>;
}

export interface EngineNetwork {
  inspect(): Promise<unknown>;
  remove(): Promise<unknown>;
}

type Filters = Record<string, string[]>;

/** What a node asks of its engine; `EngineClient` below, or a dockerode client. */
export interface EngineApi {
  version(): Promise<{ Version: string }>;
  ping(): Promise<unknown>;
  createContainer(opts: Docker.ContainerCreateOptions): Promise<EngineContainer>;
  getContainer(id: string): EngineContainer;
  listContainers(opts?: { all?: boolean; filters?: Filters }): Promise<Docker.ContainerInfo[]>;
  getImage(name: string): { inspect(): Promise<unknown> };
  /** The pull's progress stream: JSON objects, one a line (see followProgress). */
  pull(ref: string): Promise<NodeJS.ReadableStream>;
  listNetworks(opts?: { filters?: Filters }): Promise<Docker.NetworkInspectInfo[]>;
  createNetwork(opts: Docker.NetworkCreateOptions): Promise<unknown>;
  getNetwork(id: string): EngineNetwork;
}

/** An answer outside 2xx: Docker's own message, with the status (304 "not modified" counts, as with dockerode). */
export class EngineError extends Error {
  readonly json: { message: string };
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.json = { message };
  }
}

interface Call {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | Filters | undefined>;
  readonly body?: object;
  readonly abortSignal?: AbortSignal | undefined;
}

export class EngineClient implements EngineApi {
  /**
   * Its own agent, without a socket timeout: Node's global agent sets 5 s, and a `wait` or a log
   * follow on a quiet container is idle far longer (a 'timeout' handler there cut them once). Idle
   * keep-alive sockets are unref'd, so they hold no process open.
   */
  private readonly agent = new Agent({ keepAlive: true });

  /** `timeoutMs` 0: no limit (follows and waits last as long as their container). */
  constructor(readonly socketPath: string, private readonly timeoutMs = 0) {}

  version(): Promise<{ Version: string }> {
    return this.json({ method: 'GET', path: '/version' });
  }

  ping(): Promise<unknown> {
    return this.text({ method: 'GET', path: '/_ping' });
  }

  async createContainer(opts: Docker.ContainerCreateOptions): Promise<EngineContainer> {
    const { name, ...body } = opts;
    const created = await this.json<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name }, body });
    return this.getContainer(created.Id);
  }

  getContainer(id: string): EngineContainer {
    const path = `/containers/${encodeURIComponent(id)}`;
    return {
      id,
      start: () => this.text({ method: 'POST', path: `${path}/start` }),
      stop: (o = {}) => this.text({ method: 'POST', path: `${path}/stop`, query: { t: o.t } }),
      inspect: () => this.json({ method: 'GET', path: `${path}/json` }),
      remove: (o = {}) => this.text({ method: 'DELETE', path, query: { force: o.force, v: o.v } }),
      update: (o) => this.json({ method: 'POST', path: `${path}/update`, body: o }),
      logs: (o) => this.stream({ method: 'GET', path: `${path}/logs`, query: { follow: o.follow, stdout: o.stdout, stderr: o.stderr, since: o.since }, abortSignal: o.abortSignal }),
      wait: (o = {}) => this.json({ method: 'POST', path: `${path}/wait`, abortSignal: o.abortSignal }),
    };
  }

  listContainers(opts: { all?: boolean; filters?: Filters } = {}): Promise<Docker.ContainerInfo[]> {
    return this.json({ method: 'GET', path: '/containers/json', query: { all: opts.all, filters: opts.filters } });
  }

  getImage(name: string): { inspect(): Promise<unknown> } {
    // Docker's route takes the reference's slashes as they are (`/images/{name:.*}/json`).
    return { inspect: () => this.json({ method: 'GET', path: `/images/${encodeURI(name)}/json` }) };
  }

  pull(ref: string): Promise<NodeJS.ReadableStream> {
    return this.stream({ method: 'POST', path: '/images/create', query: pullQuery(ref) });
  }

  listNetworks(opts: { filters?: Filters } = {}): Promise<Docker.NetworkInspectInfo[]> {
    return this.json({ method: 'GET', path: '/networks', query: { filters: opts.filters } });
  }

  createNetwork(opts: Docker.NetworkCreateOptions): Promise<unknown> {
    return this.json({ method: 'POST', path: '/networks/create', body: opts });
  }

  getNetwork(id: string): EngineNetwork {
    const path = `/networks/${encodeURIComponent(id)}`;
    return { inspect: () => this.json({ method: 'GET', path }), remove: () => this.text({ method: 'DELETE', path }) };
  }

  private async json<T>(call: Call): Promise<T> {
    const text = await this.text(call);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  private async text(call: Call): Promise<string> {
    const res = await this.send(call);
    return readAll(res);
  }

  private stream(call: Call): Promise<NodeJS.ReadableStream> {
    return this.send(call);
  }

  /** Resolves with the response once its status is 2xx; rejects with an EngineError naming Docker's message otherwise. */
  private send(call: Call): Promise<IncomingMessage> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method: call.method,
          path: call.path + queryString(call.query),
          headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          ...(call.abortSignal ? { signal: call.abortSignal } : {}),
          ...(this.timeoutMs > 0 ? { timeout: this.timeoutMs } : {}),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(res);
          readAll(res).then((text) => reject(new EngineError(status, errorMessage(text, res.statusMessage))), reject);
        },
      );
      if (this.timeoutMs > 0) req.on('timeout', () => req.destroy(new Error(`Docker did not answer ${call.method} ${call.path} within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * Calls `done` once the progress stream ends, with every event it carried (a failed pull reports
 * its error inside the stream, as `{ "error": … }`, after a 200), or with the stream's error.
 */
export function followProgress(stream: NodeJS.ReadableStream, done: (err: Error | null, events: { error?: string }[]) => void): void {
  const events: { error?: string }[] = [];
  let rest = '';
  let finished = false;
  const finish = (err: Error | null): void => {
    if (finished) return;
    finished = true;
    done(err, events);
  };
  const take = (line: string): void => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as { error?: string });
    } catch {
      events.push({ error: `unreadable progress line from Docker: ${line.slice(0, 200)}` });
    }
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(take);
  });
  stream.on('end', () => {
    take(rest);
    finish(null);
  });
  stream.on('error', (e: Error) => finish(e));
}

/**
 * Splits a container's log stream (no TTY) into stdout and stderr: Docker frames each chunk with
 * an 8-byte header, [stream type, 0, 0, 0, payload length (uint32, big-endian)]. Type 2 is stderr;
 * 0 (stdin) and 1 go to stdout. The writers are not ended here.
 */
export function demuxStream(stream: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): void {
  const HEADER = 8;
  let pending: Buffer = Buffer.alloc(0);
  (stream as Readable).on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER) {
      const length = pending.readUInt32BE(4);
      if (pending.length < HEADER + length) break;
      const payload = pending.subarray(HEADER, HEADER + length);
      (pending[0] === 2 ? stderr : stdout).write(payload);
      pending = pending.subarray(HEADER + length);
    }
  });
}

/**
 * The pull's query, as `docker pull` sends it: `fromImage` and `tag` ("latest" when the reference
 * names none; an empty tag would pull every tag of the repository). A digest stays in fromImage.
 */
export function pullQuery(ref: string): { fromImage: string; tag?: string } {
  if (ref.includes('@')) return { fromImage: ref };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

function queryString(query: Call['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Docker's `{"message": …}`, else the body as text, else the status line. */
function errorMessage(text: string, statusMessage: string | undefined): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON
  }
  return text.trim() || statusMessage || 'no message';
}
