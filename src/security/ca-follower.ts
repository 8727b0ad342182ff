/**
 * A node's side of a CA rotation: it reports, with each heartbeat, which
 * root its certificate leads to, and renews when the leader's answer says
 * the cluster signs with another root or trusts another set of roots.
 */
import type { NodeMaterial } from './node-material.js';
import { certificateDigest, issuingRoot, splitPem } from './pki.js';

/** The digest of the root `m`'s certificate leads to ('' if no root of its bundle verifies it). */
export function materialRootDigest(m: NodeMaterial): string {
  const root = issuingRoot(m.certPem, m.caPem);
  return root ? certificateDigest(root) : '';
}

/** True if a node holding `m` should renew to match the cluster's signing root and trust bundle. */
export function materialOutdated(m: NodeMaterial, signingDigest: string, trustDigests: readonly string[]): boolean {
  if (signingDigest === '') return false;
  if (materialRootDigest(m) !== signingDigest) return true;
  const held = splitPem(m.caPem).map(certificateDigest).sort();
  const want = [...trustDigests].sort();
  return held.length !== want.length || held.some((d, i) => d !== want[i]);
}

/** What the agent needs: a digest to report, and where to send the leader's answer. */
export interface CertificateFollower {
  rootDigest(): string;
  onTarget(signingDigest: string, trustDigests: readonly string[]): void;
}

export class CaFollower implements CertificateFollower {
  private cached: { material: NodeMaterial; digest: string } | null = null;

  /** `renew` is the renewer's renewNow (concurrent calls share one renewal); omitted = report only. */
  constructor(
    private readonly material: () => NodeMaterial,
    private readonly renew?: () => Promise<void>,
    private readonly onError?: (e: unknown) => void,
  ) {}

  rootDigest(): string {
    const m = this.material();
    if (this.cached?.material !== m) this.cached = { material: m, digest: materialRootDigest(m) };
    return this.cached.digest;
  }

  onTarget(signingDigest: string, trustDigests: readonly string[]): void {
    if (!this.renew || !materialOutdated(this.material(), signingDigest, trustDigests)) return;
    this.renew().catch((e: unknown) => this.onError?.(e));
  }
}
