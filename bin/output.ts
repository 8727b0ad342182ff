import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { PRINTABLE_ASCII } from './text-width.js';

/**
 * Output for listing commands, in the three shapes SPEC.md names:
 * a docker-style table (default), `--format json` (an array of flat records),
 * and `-q` (IDs only, one per line).
 */
export type Format = 'table' | 'json';

export interface Column<R> {
  readonly header: string;
  readonly value: (row: R) => string;
}

export function printList<R extends { id: string }>(
  rows: readonly R[],
  columns: readonly Column<R>[],
  opts: { format: Format; quiet: boolean; json: (row: R) => unknown },
): void {
  if (opts.quiet) {
    for (const r of rows) process.stdout.write(`${r.id}\n`);
    return;
  }
  if (opts.format === 'json') {
    process.stdout.write(JSON.stringify(rows.map(opts.json), null, 2) + '\n');
    return;
  }
  process.stdout.write(renderTable(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r)))));
}

/**
 * A borderless, left-aligned table like docker's: columns as wide as their
 * widest cell, three spaces apart, no trailing blanks. Cells in plain ASCII
 * (the usual case) are padded here; anything else (wide characters, line
 * breaks, escapes) goes through cli-table3, which measures display width, and
 * which is loaded only then (it costs ~40 ms of every CLI start otherwise).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (![headers, ...rows].every((r) => r.every((c) => PRINTABLE_ASCII.test(c)))) return renderWithCliTable(headers, rows);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join('   ').trimEnd();
  return [headers, ...rows].map(line).join('\n') + '\n';
}

/** The same table rendered by cli-table3 (exported for the test that checks both agree). */
export function renderWithCliTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const Table = createRequire(import.meta.url)('cli-table3') as typeof TableType;
  const table = new Table({
    head: [...headers],
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const r of rows) table.push([...r]);
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
