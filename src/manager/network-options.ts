/**
 * A network's driver options (`shoal network create --opt KEY=VALUE`), checked at the API:
 * an unknown key or a bad value is INVALID_ARGUMENT naming it, never silently ignored.
 */
import { ShoalError } from '../errors.js';
import { NETWORK_MTU_MAX, NETWORK_MTU_MIN } from './store/dataplane-schema.js';

export interface NetworkOptions {
  /** MTU of the network's VXLAN device, bridge and endpoints; absent = the node's default. */
  readonly mtu?: number;
}

const KNOWN = ['mtu'] as const;
/** Docker's spelling of the same option (what `docker network create -o` and compose pass). */
const DOCKER_MTU = 'com.docker.network.driver.mtu';

export function parseNetworkOptions(raw: Readonly<Record<string, string>>): NetworkOptions {
  let mtu: number | undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'mtu' && key !== DOCKER_MTU) throw new ShoalError('INVALID_ARGUMENT', `options: unknown driver option "${key}" (known: ${KNOWN.join(', ')}, also spelled ${DOCKER_MTU})`);
    const n = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!(n >= NETWORK_MTU_MIN && n <= NETWORK_MTU_MAX)) {
      throw new ShoalError('INVALID_ARGUMENT', `options: mtu "${value}" is not a whole number from ${NETWORK_MTU_MIN} to ${NETWORK_MTU_MAX}`);
    }
    mtu = n;
  }
  return mtu === undefined ? {} : { mtu };
}

/** The options as the API shows them on a network (only those set). */
export function networkOptionsToProto(n: { readonly mtu: number }): Record<string, string> {
  return n.mtu > 0 ? { mtu: String(n.mtu) } : {};
}
