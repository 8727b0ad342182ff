/**
 * Variable interpolation in compose values, as the compose specification
 * defines it: `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}`,
 * `${VAR:?message}` / `${VAR?message}` (required), `${VAR:+alt}` /
 * `${VAR+alt}`, and `$$` for a literal `$`. The colon forms treat an empty
 * value like an unset one. Pure: the environment is handed in.
 */

export interface InterpolationResult {
  readonly value: string;
  /** Variables that were referenced without a default and are not set (they became ""). */
  readonly unset: readonly string[];
}

/** A required variable is missing, or a `${…}` is malformed; the message is the user's. */
export class InterpolationError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): InterpolationResult {
  if (!text.includes('$')) return { value: text, unset: [] };
  let out = '';
  const unset: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) throw new InterpolationError(`invalid interpolation format in "${text}": a "\${" is not closed`);
      out += expandBraced(text.slice(i + 2, close), text, env, unset);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (name === undefined) {
      // A lone `$` (e.g. at the end, or before a digit) stays as written, as compose does.
      out += '$';
      i++;
      continue;
    }
    out += lookup(name, env, unset);
    i += 1 + name.length;
  }
  return { value: out, unset };
}

/** The index of the `}` closing the `{` at `open`, counting nested `${…}` in defaults. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function lookup(name: string, env: Readonly<Record<string, string | undefined>>, unset: string[]): string {
  const v = env[name];
  if (v === undefined) {
    unset.push(name);
    return '';
  }
  return v;
}

function expandBraced(body: string, whole: string, env: Readonly<Record<string, string | undefined>>, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new InterpolationError(`invalid interpolation format in "${whole}": "\${${body}}" does not start with a variable name`);
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, unset);
  const m = /^(:?)([-?+])([\s\S]*)$/.exec(rest);
  if (!m) throw new InterpolationError(`invalid interpolation format in "${whole}": unexpected "${rest}" after \${${name}`);
  const colon = m[1] === ':';
  const op = m[2]!;
  const value = env[name];
  const missing = value === undefined || (colon && value === '');
  // The default and the message may themselves hold variables.
  const inner = (): string => {
    const r = interpolate(m[3]!, env);
    unset.push(...r.unset);
    return r.value;
  };
  switch (op) {
    case '-':
      return missing ? inner() : value;
    case '+':
      return missing ? '' : inner();
    default: {
      if (!missing) return value;
      const why = inner();
      throw new InterpolationError(`required variable ${name} is missing a value${why === '' ? '' : `: ${why}`}`);
    }
  }
}
