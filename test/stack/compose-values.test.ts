// Proves the pieces under the compose reader by direct calls: interpolation (every operator,
// `$$`, nesting, the exact error for a missing required variable), .env parsing, and the value
// forms (shell-split commands, Go durations, byte sizes, CPUs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InterpolationError, interpolate } from '../../src/stack/interpolate.js';
import { DotenvError, parseDotenv } from '../../src/stack/dotenv.js';
import { parseBytes, parseComposeDuration, parseCpus, shellSplit } from '../../src/stack/values.js';

const env = { TAG: '1.2', EMPTY: '', HOST: 'db' };

void test('interpolation: plain, braced, defaults, alternatives and $$', () => {
  assert.deepEqual(interpolate('nginx:${TAG}', env), { value: 'nginx:1.2', unset: [] });
  assert.deepEqual(interpolate('$HOST:5432', env), { value: 'db:5432', unset: [] });
  assert.equal(interpolate('${MISSING:-fallback}', env).value, 'fallback');
  assert.equal(interpolate('${EMPTY:-fallback}', env).value, 'fallback');
  assert.equal(interpolate('${EMPTY-fallback}', env).value, '', 'without the colon an empty value counts as set');
  assert.equal(interpolate('${TAG:+set}', env).value, 'set');
  assert.equal(interpolate('${MISSING+set}', env).value, '');
  assert.equal(interpolate('$${TAG} costs $$5', env).value, '${TAG} costs $5');
  assert.equal(interpolate('${MISSING:-${HOST}-x}', env).value, 'db-x', 'a default may hold a variable');
  assert.equal(interpolate('a $ b $1', env).value, 'a $ b $1', 'a lone $ stays');
  assert.deepEqual(interpolate('${NOPE}/${NOPE2}', env), { value: '/', unset: ['NOPE', 'NOPE2'] });
});

void test('interpolation: required variables and malformed references fail with the message compose gives', () => {
  assert.throws(() => interpolate('${DB_PASSWORD?set it in .env}', env), (e: unknown) => e instanceof InterpolationError && e.message === 'required variable DB_PASSWORD is missing a value: set it in .env');
  assert.throws(() => interpolate('${EMPTY:?}', env), { message: 'required variable EMPTY is missing a value' });
  assert.equal(interpolate('${EMPTY?}', env).value, '', 'without the colon an empty value satisfies "required"');
  assert.throws(() => interpolate('${TAG', env), { message: 'invalid interpolation format in "${TAG": a "${" is not closed' });
  assert.throws(() => interpolate('${1X}', env), { message: 'invalid interpolation format in "${1X}": "${1X}" does not start with a variable name' });
  assert.throws(() => interpolate('${TAG:x}', env), { message: 'invalid interpolation format in "${TAG:x}": unexpected ":x" after ${TAG' });
});

void test('.env: comments, export, quotes, inline comments; a bad line names its number', () => {
  const vars = parseDotenv('# settings\n\nexport A=1\nB = two words # note\nC="x\\ny"\nD=\'$lit\'\nE=\nF\n');
  assert.deepEqual([...vars], [['A', '1'], ['B', 'two words'], ['C', 'x\ny'], ['D', '$lit'], ['E', '']]);
  assert.throws(() => parseDotenv('A=1\n2B=x\n'), (e: unknown) => e instanceof DotenvError && e.line === 2 && e.message === '"2B" is not a variable name');
  assert.throws(() => parseDotenv('A="open\n'), { message: 'the value "open has no closing "' });
});

void test('value forms: commands, durations, sizes, CPUs', () => {
  assert.deepEqual(shellSplit(`node -e "console.log('a b')" 'x y' z\\ w`), ['node', '-e', "console.log('a b')", 'x y', 'z w']);
  assert.deepEqual(shellSplit('  '), []);
  assert.deepEqual(shellSplit('a "" b'), ['a', '', 'b']);
  assert.equal(shellSplit('echo "open'), undefined);
  assert.equal(parseComposeDuration('1m30s'), 90_000);
  assert.equal(parseComposeDuration('500ms'), 500);
  assert.equal(parseComposeDuration('1500000\u00b5s'), 1500, 'µs, as Go writes it');
  assert.equal(parseComposeDuration('2500us'), 3);
  assert.equal(parseComposeDuration('0'), 0);
  assert.equal(parseComposeDuration('0s'), 0);
  assert.equal(parseComposeDuration('10'), undefined, 'a duration needs a unit');
  assert.equal(parseComposeDuration(10), undefined);
  assert.equal(parseBytes('512M'), 512 * 1024 ** 2);
  assert.equal(parseBytes('1.5g'), 1.5 * 1024 ** 3);
  assert.equal(parseBytes('64kb'), 64 * 1024);
  assert.equal(parseBytes(2048), 2048);
  assert.equal(parseBytes('lots'), undefined);
  assert.equal(parseCpus('0.5'), 5e8);
  assert.equal(parseCpus(2), 2e9);
  assert.equal(parseCpus('-1'), undefined);
});
