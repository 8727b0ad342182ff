/**
 * Two namespace test hosts with Shoal and a dockerd of their own (test/helpers/own-dockerd.ts),
 * the setup shared by the cross-host Docker test and bench:docker-run: host 1 inits the cluster
 * and has no Docker; host 2 joins it as a worker, runs its own dockerd inside its network
 * namespace and serves the plugin to it on a per-run socket (driver `shoal-<tag>`), reconciling
 * every second. `destroy()` removes the containers while host 2's plugin still answers, then
 * dockerd, then the hosts and the socket; it may be called after a failed `start()`.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestHosts, type Host } from '../dataplane/hosts.js';
import { OwnDockerd } from './own-dockerd.js';
import { Api } from '../../bin/client.js';

const run = promisify(execFile);

export class DockerTwoHosts {
  readonly env: TestHosts;
  readonly socket: string;
  /** The driver name Docker knows host 2's plugin by. */
  readonly driver: string;
  h1!: Host;
  h2!: Host;
  dockerd: OwnDockerd | undefined;
  /** host 1's manager, on its local socket. */
  api: Api | undefined;

  /** `envTag`: the TestHosts tag (a few letters); `tag`: this run's plugin and dockerd name. */
  constructor(envTag: string, readonly tag: string) {
    this.env = new TestHosts(envTag);
    this.driver = `shoal-${tag}`;
    this.socket = `/run/docker/plugins/${this.driver}.sock`;
  }

  async start(): Promise<void> {
    [this.h1, this.h2] = (await this.env.create(2)) as [Host, Host];
    this.dockerd = new OwnDockerd(this.tag, { netns: this.h2.ns });
    await this.dockerd.start({ liveRestore: false });
    await this.dockerd.ensureImage();
    this.env.setEnv(this.h1, { SHOAL_DOCKER_HOST: 'none', SHOAL_DOCKER_PLUGIN_SOCKET: 'none' });
    this.env.setEnv(this.h2, { SHOAL_DOCKER_HOST: this.dockerd.host, SHOAL_DOCKER_PLUGIN_SOCKET: this.socket, SHOAL_DOCKER_PLUGIN_RECONCILE_MS: '1000' });
    await this.env.ok(this.h1, 'init', '--listen-addr', `${this.h1.addr}:4242`, '--hostname', 'host1');
    const token = (await this.env.ok(this.h1, 'join-token', 'worker', '-q')).trim();
    await this.env.ok(this.h2, 'join', '--token', token, '--listen-addr', `${this.h2.addr}:4242`, '--hostname', 'host2', `${this.h1.addr}:4242`);
    this.api = new Api(`unix://${join(this.h1.dataDir, 'shoal.sock')}`);
  }

  /** The docker CLI against host 2's dockerd; its stdout. */
  async docker(...args: string[]): Promise<string> {
    if (!this.dockerd) throw new Error('DockerTwoHosts: start() first');
    return (await run('/usr/bin/docker', ['-H', this.dockerd.host, ...args], { timeout: 60_000 })).stdout;
  }

  async destroy(): Promise<void> {
    this.api?.close();
    await this.dockerd?.destroy().catch(() => undefined);
    await this.env.teardown();
    rmSync(this.socket, { force: true });
  }
}
