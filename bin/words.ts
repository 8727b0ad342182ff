/** Proto enum names (NODE_ROLE_MANAGER) to the lower-case words of the CLI and JSON records (manager). */
export function enumWord(value: string | number | undefined, prefix: string): string {
  if (typeof value !== 'string') return 'unknown';
  return value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase().replace(/_/g, '-') : value.toLowerCase();
}

export const roleWord = (v: string | number | undefined): string => enumWord(v, 'NODE_ROLE_');
export const statusWord = (v: string | number | undefined): string => enumWord(v, 'NODE_STATUS_');
export const availabilityWord = (v: string | number | undefined): string => enumWord(v, 'NODE_AVAILABILITY_');
export const reachabilityWord = (v: string | number | undefined): string => enumWord(v, 'REACHABILITY_');
