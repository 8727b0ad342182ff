/**
 * Docker for the image tests: the engine (or why there is none, for a skip message), an offline
 * test image made by `docker import` of a busybox-static root (through the Engine API, never the
 * docker CLI; idempotent), and clean-up of every container a test's nodes created.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { EngineApi } from '../../src/worker/docker-api.js';
import { dockerClient, dockerSocketPath, probeEngine } from '../../src/worker/docker-engine.js';
import { MANAGED_LABEL, ROOT_LABEL } from '../../src/worker/docker-executor.js';

export const TEST_IMAGE_REPO = 'shoal-test/busybox';
/** Two tags of one imported image, for rolling updates between tags. */
export const TEST_IMAGE = `${TEST_IMAGE_REPO}:1`;
export const TEST_IMAGE_2 = `${TEST_IMAGE_REPO}:2`;
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];
const APPLETS = ['sh', 'sleep', 'echo', 'cat', 'nc', 'ls', 'ip', 'wget', 'true', 'false', 'kill', 'ps'];

/** The engine, or a reason to skip: no socket, no answer, or no busybox to build the image from. */
export async function dockerForTests(): Promise<{ docker: EngineApi } | { skip: string }> {
  const socket = dockerSocketPath();
  if (socket === null) return { skip: 'SHOAL_DOCKER_HOST=none: no Docker Engine for the image tests' };
  // The daemon's own client (docker-api.ts), so the tests exercise it; dockerode makes the test image (importImage, tag).
  const docker = dockerClient(socket);
  if ((await probeEngine(docker)) === '') return { skip: `no Docker Engine answers on ${socket} (CI starts dockerd through .ci/run)` };
  try {
    await ensureTestImage(new Docker({ socketPath: socket, timeout: 0 }));
  } catch (e) {
    return { skip: `cannot make the test image ${TEST_IMAGE}: ${(e as Error).message}` };
  }
  return { docker };
}

/** Imports a busybox-static root as TEST_IMAGE and tags it TEST_IMAGE_2, unless both exist. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  const have = async (ref: string): Promise<boolean> => docker.getImage(ref).inspect().then(() => true, () => false);
  if (!(await have(TEST_IMAGE))) {
    const busybox = BUSYBOX.find((p) => existsSync(p));
    if (!busybox) throw new Error('busybox is not installed (Debian: busybox-static)');
    // The image has no libc: a dynamically linked busybox (Debian's `busybox`) names its loader here.
    if (readFileSync(busybox).subarray(0, 4096).includes('ld-linux')) throw new Error(`${busybox} is dynamically linked; install Debian's busybox-static`);
    const dir = mkdtempSync(join(tmpdir(), 'shoal-test-image-'));
    try {
      const root = join(dir, 'root');
      mkdirSync(join(root, 'bin'), { recursive: true });
      mkdirSync(join(root, 'tmp'));
      copyFileSync(busybox, join(root, 'bin', 'busybox'));
      for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
      const tar = join(dir, 'root.tar');
      execFileSync('tar', ['-C', root, '-cf', tar, '.']);
      const progress = await docker.importImage(tar, { repo: TEST_IMAGE_REPO, tag: '1' });
      await new Promise<void>((resolve, reject) => docker.modem.followProgress(progress, (err: Error | null) => (err ? reject(err) : resolve())));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!(await have(TEST_IMAGE_2))) await docker.getImage(TEST_IMAGE).tag({ repo: TEST_IMAGE_REPO, tag: '2' });
}

/** Shoal's containers created by nodes whose data dirs are under `dir`. */
export async function containersUnder(docker: EngineApi, dir: string): Promise<Docker.ContainerInfo[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${MANAGED_LABEL}=1`] } });
  return all.filter((c) => (c.Labels[ROOT_LABEL] ?? '').startsWith(dir));
}

/** Removes (force) every container of nodes under `dir`; for test clean-up, also after a failure. */
export async function removeContainersUnder(docker: EngineApi, dir: string): Promise<void> {
  for (const c of await containersUnder(docker, dir)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
}
