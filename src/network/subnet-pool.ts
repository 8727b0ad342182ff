// Choosing and validating network subnets. The cluster has default address pools (by default
// 10.0.0.0/8 carved into /24s); a network created without --subnet gets the first free block of
// the pools in order, which is deterministic given the existing networks, as replicated state
// requires. A requested subnet must not overlap any existing network, and its gateway and
// ip-range must fit inside it.
import { assignableCount } from './address-allocator.js';
import { broadcastAddress, cidrSize, containsCidr, containsIp, formatCidr, formatIpv4, overlaps, parseCidr, parseIpv4 } from './cidr.js';
import type { Cidr } from './cidr.js';
import { fail, ok } from './errors.js';
import type { Result } from './errors.js';

/**
 * Smallest subnet an overlay network may have: /30 leaves the network and broadcast addresses,
 * a gateway and one endpoint.
 */
export const subnetPrefixMax = 30;
/** Largest subnet: keeps a network's address bitmap (2^(32-prefix) bits) at most 2 MiB. */
export const subnetPrefixMin = 8;
export const poolsMax = 64;

export interface SubnetPools {
  readonly pools: readonly Cidr[];
  /** Prefix length of the subnets carved from the pools. */
  readonly maskLength: number;
}

export const defaultPoolText = '10.0.0.0/8';
export const defaultMaskLength = 24;

/** Build the pools from `--default-addr-pool` values and `--default-addr-pool-mask-length`. */
export function makeSubnetPools(poolTexts: readonly string[] = [defaultPoolText], maskLength = defaultMaskLength): Result<SubnetPools> {
  if (poolTexts.length === 0) return fail('invalid-argument', 'at least one default address pool is required');
  if (poolTexts.length > poolsMax) return fail('invalid-argument', `at most ${poolsMax} default address pools are allowed, got ${poolTexts.length}`);
  if (!Number.isInteger(maskLength) || maskLength < subnetPrefixMin || maskLength > subnetPrefixMax) {
    return fail('invalid-argument', `default address pool mask length ${maskLength} must be ${subnetPrefixMin}-${subnetPrefixMax}`);
  }
  const pools: Cidr[] = [];
  for (const text of poolTexts) {
    const parsed = parseCidr(text);
    if (!parsed.ok) return parsed;
    const pool = parsed.value;
    if (pool.prefix > maskLength) {
      return fail('invalid-argument', `default address pool ${formatCidr(pool)} is smaller than the mask length /${maskLength}`);
    }
    const clash = pools.find((p) => overlaps(p, pool));
    if (clash) return fail('invalid-argument', `default address pool ${formatCidr(pool)} overlaps pool ${formatCidr(clash)}`);
    pools.push(pool);
  }
  return ok({ pools, maskLength });
}

/**
 * The first block of `maskLength` bits, in pool order then address order, that overlaps none of
 * `existing`. Cost O(e log e) for e existing subnets: it jumps past each overlapping subnet
 * instead of trying every candidate block.
 */
export function allocateSubnet(pools: SubnetPools, existing: readonly Cidr[]): Result<Cidr> {
  const step = cidrSize({ base: 0, prefix: pools.maskLength });
  const sorted = [...existing].sort((a, b) => a.base - b.base || a.prefix - b.prefix);
  for (const pool of pools.pools) {
    const end = broadcastAddress(pool); // inclusive
    let candidate = pool.base;
    for (const used of sorted) {
      if (candidate > end) break;
      const usedEnd = broadcastAddress(used);
      if (usedEnd < candidate) continue;
      if (used.base > candidate + step - 1) break; // sorted by base: nothing later overlaps either
      // `used` overlaps the candidate block: move to the first aligned block after it.
      candidate = Math.ceil((usedEnd + 1) / step) * step;
    }
    if (candidate + step - 1 <= end) return ok({ base: candidate, prefix: pools.maskLength });
  }
  const names = pools.pools.map(formatCidr).join(', ');
  const which = pools.pools.length === 1 ? 'default address pool' : 'default address pools';
  return fail('resource-exhausted', `${which} ${names} has no free /${pools.maskLength} subnet left (${existing.length} networks allocated)`);
}

export interface ExistingNetwork {
  readonly name: string;
  readonly subnet: Cidr;
}

/** Parse a requested subnet and check it fits an overlay network and overlaps no other network. */
export function validateSubnet(requested: string, existing: readonly ExistingNetwork[]): Result<Cidr> {
  const parsed = parseCidr(requested);
  if (!parsed.ok) return parsed;
  const subnet = parsed.value;
  if (subnet.prefix > subnetPrefixMax) {
    return fail('invalid-argument', `subnet ${formatCidr(subnet)} is too small: an overlay network needs at least a /${subnetPrefixMax}`);
  }
  if (subnet.prefix < subnetPrefixMin) {
    return fail('invalid-argument', `subnet ${formatCidr(subnet)} is too large: the largest allowed is a /${subnetPrefixMin}`);
  }
  const clash = existing.find((n) => overlaps(n.subnet, subnet));
  if (clash) {
    return fail('invalid-argument', `subnet ${formatCidr(subnet)} overlaps network "${clash.name}" (${formatCidr(clash.subnet)})`);
  }
  return ok(subnet);
}

/** A gateway must be a host address of the subnet: inside it, not its network or broadcast address. */
export function validateGateway(subnet: Cidr, gatewayText: string): Result<number> {
  const parsed = parseIpv4(gatewayText);
  if (!parsed.ok) return parsed;
  const gw = parsed.value;
  const where = `subnet ${formatCidr(subnet)}`;
  if (!containsIp(subnet, gw)) return fail('invalid-argument', `gateway ${formatIpv4(gw)} is not inside ${where}`);
  if (gw === subnet.base) return fail('invalid-argument', `gateway ${formatIpv4(gw)} is the network address of ${where}`);
  if (gw === broadcastAddress(subnet)) return fail('invalid-argument', `gateway ${formatIpv4(gw)} is the broadcast address of ${where}`);
  return ok(gw);
}

/** The ip-range (where endpoint addresses come from) must lie inside the subnet. */
export function validateIpRange(subnet: Cidr, rangeText: string): Result<Cidr> {
  const parsed = parseCidr(rangeText);
  if (!parsed.ok) return parsed;
  const range = parsed.value;
  if (!containsCidr(subnet, range)) {
    return fail('invalid-argument', `ip-range ${formatCidr(range)} is not inside subnet ${formatCidr(subnet)}`);
  }
  return ok(range);
}

export interface AddressingRequest {
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

export interface NetworkAddressing {
  readonly subnet: Cidr;
  readonly gateway: number;
  readonly ipRange: Cidr;
}

/**
 * Everything `network create` decides about addresses: the subnet (requested or from the
 * pools), the gateway (requested or the first host address) and the ip-range (default: the
 * whole subnet).
 */
export function planNetworkAddressing(req: AddressingRequest, pools: SubnetPools, existing: readonly ExistingNetwork[]): Result<NetworkAddressing> {
  if (req.subnet === undefined && req.gateway !== undefined) return fail('invalid-argument', '--gateway requires --subnet');
  if (req.subnet === undefined && req.ipRange !== undefined) return fail('invalid-argument', '--ip-range requires --subnet');
  const subnet = req.subnet === undefined ? allocateSubnet(pools, existing.map((n) => n.subnet)) : validateSubnet(req.subnet, existing);
  if (!subnet.ok) return subnet;
  const gateway = req.gateway === undefined ? ok(subnet.value.base + 1) : validateGateway(subnet.value, req.gateway);
  if (!gateway.ok) return gateway;
  const ipRange = req.ipRange === undefined ? ok(subnet.value) : validateIpRange(subnet.value, req.ipRange);
  if (!ipRange.ok) return ipRange;
  if (assignableCount(subnet.value, gateway.value, ipRange.value) === 0) {
    return fail('invalid-argument', `ip-range ${formatCidr(ipRange.value)} leaves no address for endpoints once the gateway, network and broadcast addresses are reserved`);
  }
  return ok({ subnet: subnet.value, gateway: gateway.value, ipRange: ipRange.value });
}
