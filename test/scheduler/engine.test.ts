// Proves image tasks go only to nodes that reported a container engine (the implicit
// node.platform.engine==docker constraint), that the engine's version does not matter, and that
// with no such node the task stays pending with a message naming the engine requirement; global
// image services get tasks only where an engine is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineName, IMAGE_ENGINE_CONSTRAINT, matchesConstraint, parseConstraint, subjectOf } from '../../src/scheduler/constraints.js';
import { globalServiceTasks } from '../../src/scheduler/global.js';
import { scheduleBatch } from '../../src/scheduler/scheduler.js';
import { AssignmentState } from '../../src/scheduler/state.js';
import { node, tasks } from './fixtures.js';

const withDocker = (id: string): ReturnType<typeof node> => node(id, { platform: { os: 'linux', arch: 'x64', engine: 'docker 20.10.24' } });

void test('the engine constraint matches a node with Docker, whatever its version, and no other', () => {
  const c = parseConstraint(IMAGE_ENGINE_CONSTRAINT);
  assert.equal(matchesConstraint(c, subjectOf(withDocker('a'))), true);
  assert.equal(matchesConstraint(c, subjectOf(node('b'))), false);
  assert.equal(matchesConstraint(c, subjectOf(node('c', { platform: { os: 'linux', arch: 'x64', engine: '' } }))), false);
  assert.equal(matchesConstraint(parseConstraint('node.platform.engine!=docker'), subjectOf(node('d'))), true);
  assert.equal(engineName(' docker 24.0.7 '), 'docker');
  assert.equal(engineName(undefined), '');
});

void test('image tasks are placed only on nodes with an engine; process tasks everywhere', () => {
  const nodes = [withDocker('n1'), node('n2'), withDocker('n3'), node('n4')];
  const images = tasks(8, 'img', { constraints: [IMAGE_ENGINE_CONSTRAINT] });
  const procs = tasks(8, 'proc');
  const r = scheduleBatch([...images, ...procs], nodes, AssignmentState.build([]));
  assert.equal(r.pending.size, 0);
  for (const t of images) assert.ok(['n1', 'n3'].includes(r.placements.get(t.id) ?? ''), `${t.id} on ${r.placements.get(t.id)}`);
  assert.deepEqual(new Set(procs.map((t) => r.placements.get(t.id))), new Set(['n1', 'n2', 'n3', 'n4']));
});

void test('with no node that has an engine the task stays pending and the message says so', () => {
  const r = scheduleBatch(tasks(1, 'img', { constraints: [IMAGE_ENGINE_CONSTRAINT] }), [node('n1'), node('n2')], AssignmentState.build([]));
  assert.equal(r.placements.size, 0);
  const message = [...r.pending.values()][0] ?? '';
  assert.match(message, /node\.platform\.engine==docker/);
  assert.match(message, /2/);
});

void test('a global image service gets tasks only on the nodes with an engine', () => {
  const r = globalServiceTasks({ serviceId: 'g', constraints: [IMAGE_ENGINE_CONSTRAINT] }, [withDocker('n1'), node('n2'), withDocker('n3')], []);
  assert.deepEqual(r, { ok: true, value: { createOn: ['n1', 'n3'], remove: [] } });
});
