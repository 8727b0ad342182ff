/**
 * Commands for networks, standalone containers and their address attachments.
 * (Filled in by the network-allocator work; empty until then.)
 */
export type NetworkCommand = never;

export function isNetworkCommand(_cmd: { readonly op: string }): _cmd is NetworkCommand {
  return false;
}
