// Proves how `stack deploy` reads its input from disk (bin/commands/stack.ts readStack): the
// `.env` beside the first file feeds interpolation, the shell's environment wins over it,
// `env_file` paths are relative to the first file's directory, unset variables and unsupported
// keys become the warning lines printed before any write, and a missing file or a bad `.env`
// line is an error naming the file (and line).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStack } from '../../bin/commands/stack.js';
import { StackFileError } from '../../src/stack/problems.js';

const dir = mkdtempSync(join(tmpdir(), 'shoal-read-stack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void test('.env, the environment, env_file and the warning lines', () => {
  const project = join(dir, 'p');
  mkdirSync(join(project, 'conf'), { recursive: true });
  writeFileSync(join(project, '.env'), 'TAG=1.0\nREPLICAS=3\n');
  writeFileSync(join(project, 'conf', 'api.env'), 'MODE=fast\n');
  writeFileSync(join(project, 'compose.yml'), [
    'services:',
    '  api:',
    '    image: "registry.example/api:${TAG}"',
    '    env_file: conf/api.env',
    '    environment: {OWNER: "${OWNER}", REGION: "${REGION}"}',
    '    restart: always',
    '    x-shoal-adopt: api',
    '    deploy: {replicas: "${REPLICAS}"}',
  ].join('\n'));
  const other = join(dir, 'override.yml');
  writeFileSync(other, 'services:\n  api:\n    build: .\n');
  const { desired, warnings } = readStack([join(project, 'compose.yml'), other], 'shop', { TAG: '2.0', OWNER: 'ops' });
  const spec = desired.services[0]!.spec;
  assert.equal(spec.taskTemplate?.image, 'registry.example/api:2.0', 'the shell wins over .env');
  assert.equal(spec.replicas, 3, 'from .env, a string read as a count');
  assert.deepEqual(spec.taskTemplate?.env, ['MODE=fast', 'OWNER=ops', 'REGION=']);
  assert.deepEqual(warnings, [
    'The "REGION" variable is not set. Defaulting to a blank string.',
    'Ignoring unsupported options: restart, build',
  ]);
  assert.equal(desired.services[0]!.adopt, 'api', 'x-shoal-adopt is read (the adoption is planned against the cluster later)');
});

void test('a missing compose file, a missing env_file and a bad .env line are errors naming the file', () => {
  assert.throws(() => readStack([join(dir, 'nope.yml')], 'x', {}), (e: unknown) => e instanceof StackFileError && e.message === `compose file "${join(dir, 'nope.yml')}" not found`);
  const project = join(dir, 'q');
  mkdirSync(project);
  writeFileSync(join(project, 'compose.yml'), 'services:\n  a:\n    command: run\n    env_file: [missing.env]\n');
  assert.throws(() => readStack([join(project, 'compose.yml')], 'x', {}), {
    message: `${join(project, 'compose.yml')}:4:16: services.a.env_file[0]: env file "missing.env" not found`,
  });
  writeFileSync(join(project, '.env'), 'OK=1\nnot a line\n');
  assert.throws(() => readStack([join(project, 'compose.yml')], 'x', {}), { message: `${join(project, '.env')}:2:1: "not a line" is not a variable name` });
});
