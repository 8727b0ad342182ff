// Proves the CLI's command table (bin/command-table.ts) matches what the
// command modules register: `shoal --help` built from the table's stubs is the
// same text as with every module loaded (names, positionals, descriptions,
// order), so a command added to a module but not to the table fails here. Also
// that the command word is found past global options, and that the
// hand-padded table output is exactly cli-table3's for plain ASCII cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yargs, { type Argv } from 'yargs';
import { COMMAND_TABLE, commandWord, registerCommands } from '../../bin/command-table.js';
import type { GlobalArgs } from '../../bin/client.js';
import { renderTable, renderWithCliTable } from '../../bin/output.js';

function base(argv: readonly string[]): Argv<GlobalArgs> {
  // No exit and no printing: the test reads the help text through getHelp().
  return yargs([...argv]).scriptName('shoal').wrap(200).exitProcess(false).fail(false).help() as unknown as Argv<GlobalArgs>;
}

test('top-level help from the table equals the help with every command module loaded', async () => {
  const fromTable = await (await registerCommands(base([]), ['--help'])).getHelp();
  const fromModules = await (await registerCommands(base([]), ['--help'], true)).getHelp();
  assert.equal(fromTable, fromModules);
  for (const r of COMMAND_TABLE) assert.ok(fromModules.includes(`shoal ${r.command}`), `help lists ${r.command}`);
});

test('each command loads its own module and shows the same help as with all loaded', async () => {
  for (const word of ['node', 'service', 'init', 'run']) {
    const one = await (await registerCommands(base([word]), [word])).getHelp();
    const all = await (await registerCommands(base([word]), [word], true)).getHelp();
    assert.equal(one, all, `shoal ${word} --help`);
  }
});

test('a word the table does not know loads every module, so yargs still finds the command', async () => {
  // `-qH host node ls`: the scan takes "host" for the command word; yargs must still run the real `node ls`.
  const argv = ['-qH', 'unix:///nowhere', 'node', 'ls'];
  const help = await (await registerCommands(base(argv), argv)).getHelp();
  assert.equal(help, await (await registerCommands(base(argv), argv, true)).getHelp());
  assert.equal(commandWord(argv), 'unix:///nowhere');
});

test('the command word is the first positional, past global options and their values', () => {
  assert.equal(commandWord(['node', 'ls']), 'node');
  assert.equal(commandWord(['--data-dir', '/x', '-H', 'unix:///s', '--format', 'json', '-q', 'service', 'ls']), 'service');
  assert.equal(commandWord(['--data-dir=/x', '--quiet', 'info']), 'info');
  assert.equal(commandWord(['--help']), undefined);
  assert.equal(commandWord([]), undefined);
});

test('plain ASCII tables are padded exactly as cli-table3 pads them', () => {
  const cases: [string[], string[][]][] = [
    [['ID', 'NAME', 'STATUS'], [['abc', 'web', 'ready'], ['a-much-longer-id', '', 'down'], ['x', 'name with spaces', '']]],
    [['ONE'], []],
    [['A', 'B'], [['', ''], ['1', '22']]],
    [['HOSTNAME', 'ADDRESS'], [['node-1 *', '127.0.0.1:4242'], ['n2', '[::1]:1']]],
  ];
  for (const [headers, rows] of cases) assert.equal(renderTable(headers, rows), renderWithCliTable(headers, rows), JSON.stringify({ headers, rows }));
  // Wide characters take the measured path: the CJK name is two columns per character.
  assert.equal(renderTable(['N', 'X'], [['日本', 'a']]), renderWithCliTable(['N', 'X'], [['日本', 'a']]));
});
