/**
 * What Linux says about a process, from /proc. Two traps this module exists
 * for: a killed process whose parent does not reap it (a zombie) still answers
 * signal 0, and pids are reused. Where /proc is missing, the checks fall back
 * to signal 0 alone.
 */
import { readFileSync } from 'node:fs';

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parens); index 0 is field 3. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const fields = statFields(pid);
  return fields === null || fields[0] !== 'Z';
}

/**
 * When process `pid` started (clock ticks since boot, /proc/PID/stat field 22),
 * or null where /proc is not available. Together with the pid it names one
 * process: pids are reused, start times of the same pid are not.
 */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[22 - 3] ?? null;
}
