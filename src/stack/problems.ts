/**
 * Problems found in compose files, each with where it is: the file, line and
 * column (1-based), and the key path (`services.web.deploy.replicas`).
 */

export interface Position {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Problem {
  readonly at: Position | undefined;
  /** The key path; '' for a problem of the file itself (bad YAML). */
  readonly path: string;
  readonly message: string;
}

/** `file:line:col: path: message` — the form compilers use, so editors can jump to it. */
export function formatProblem(p: Problem): string {
  const where = p.at ? `${p.at.file}:${p.at.line}:${p.at.col}: ` : '';
  return `${where}${p.path === '' ? '' : `${p.path}: `}${p.message}`;
}

/** One or more problems that stop a deploy before anything is written. */
export class StackFileError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}
