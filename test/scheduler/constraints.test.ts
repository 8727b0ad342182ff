// Proves constraint parsing (exact INVALID_ARGUMENT messages for each malformed shape) and
// matching (==, !=, every key, case rules, missing labels, arch aliases) by direct calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allConstraintsMatch, matchesConstraint, parseConstraint, parseConstraints, subjectOf, tryParseConstraint } from '../../src/scheduler/constraints.js';
import { isShoalError } from '../../src/errors.js';
import { node } from './fixtures.js';

function errorOf(text: string): string {
  const r = tryParseConstraint(text);
  assert.equal(r.ok, false, `expected "${text}" to be rejected`);
  if (r.ok) return '';
  assert.equal(r.error.code, 'INVALID_ARGUMENT');
  return r.error.message;
}

void test('malformed expressions are rejected with a message naming the expression', () => {
  assert.equal(errorOf('node.labels.zone=a'), 'constraint "node.labels.zone=a" is malformed: expected KEY==VALUE or KEY!=VALUE');
  assert.equal(errorOf('node.role'), 'constraint "node.role" is malformed: expected KEY==VALUE or KEY!=VALUE');
  assert.equal(errorOf('a==b==c'), 'constraint "a==b==c" is malformed: expected KEY==VALUE or KEY!=VALUE');
  assert.equal(errorOf('==x'), 'constraint "==x" is malformed: the key is empty');
  assert.equal(errorOf('node.id== '), 'constraint "node.id== " is malformed: the value is empty');
  assert.equal(errorOf('node.labels.==x'), 'constraint "node.labels.==x" is malformed: the label name after node.labels. is empty');
  assert.equal(errorOf('node.foo==x'),
    'constraint "node.foo==x" has unknown key "node.foo": expected node.id, node.hostname, node.role, node.labels.KEY, node.platform.os, node.platform.arch or node.platform.engine');
  assert.equal(errorOf('node.role==boss'), 'constraint "node.role==boss" has invalid value "boss" for node.role: expected manager or worker');
});

void test('parseConstraint throws a ShoalError INVALID_ARGUMENT for the service API', () => {
  assert.throws(() => parseConstraint('node.labels.zone=a'), (e: unknown) =>
    isShoalError(e) && e.code === 'INVALID_ARGUMENT' && e.message === 'constraint "node.labels.zone=a" is malformed: expected KEY==VALUE or KEY!=VALUE');
  assert.equal(parseConstraint(' node.labels.zone == East ').value, 'east');
  const all = parseConstraints(['node.role==worker', 'node.foo==1', 'x=1']);
  assert.equal(all.ok, false);
  if (!all.ok) assert.match(all.error.message, /node\.foo/);
});

void test('every key matches with == and != against the node', () => {
  const n = subjectOf(node('N1', { hostname: 'Alpha', role: 'manager', labels: { zone: 'East', Disk: 'ssd' }, platform: { os: 'linux', arch: 'arm64' } }));
  const yes = ['node.id==n1', 'node.hostname==alpha', 'node.role==manager', 'node.labels.zone==east', 'node.labels.Disk==SSD',
    'node.platform.os==linux', 'node.platform.arch==arm64', 'node.platform.arch==aarch64', 'NODE.LABELS.zone==east',
    'node.id!=n2', 'node.role!=worker', 'node.labels.zone!=west', 'node.labels.rack!=r1', 'node.platform.os!=windows'];
  for (const t of yes) assert.equal(matchesConstraint(parseConstraint(t), n), true, t);
  const no = ['node.id==n2', 'node.hostname!=alpha', 'node.role==worker', 'node.labels.zone==west', 'node.labels.disk==ssd',
    'node.labels.rack==r1', 'node.platform.os==windows', 'node.platform.arch==amd64', 'node.labels.zone!=east'];
  for (const t of no) assert.equal(matchesConstraint(parseConstraint(t), n), false, t);
  const x64 = subjectOf(node('N2'));
  assert.equal(matchesConstraint(parseConstraint('node.platform.arch==amd64'), x64), true);
  assert.equal(matchesConstraint(parseConstraint('node.platform.arch==x86_64'), x64), true);
});

void test('a label named like an Object.prototype member is just a missing label', () => {
  const n = subjectOf(node('N1'));
  assert.equal(matchesConstraint(parseConstraint('node.labels.constructor==x'), n), false);
  assert.equal(matchesConstraint(parseConstraint('node.labels.toString!=x'), n), true);
});

void test('allConstraintsMatch needs every constraint', () => {
  const n = subjectOf(node('N1', { labels: { zone: 'a' } }));
  assert.equal(allConstraintsMatch([parseConstraint('node.labels.zone==a'), parseConstraint('node.role==worker')], n), true);
  assert.equal(allConstraintsMatch([parseConstraint('node.labels.zone==a'), parseConstraint('node.role==manager')], n), false);
  assert.equal(allConstraintsMatch([], n), true);
});
