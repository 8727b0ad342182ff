import Table from 'cli-table3';

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

/** A borderless, left-aligned table like docker's. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
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
