/**
 * Keeps a node's certificate fresh: renews at a random 50–80 % of its
 * lifetime (so a cluster's nodes do not all renew at once), retries with
 * backoff when the CA cannot be reached, and hands the new certificate to
 * the running server and channels (MtlsSecurity.update) after it is on disk.
 */
import type { Logger } from '../node/logger.js';
import type { MtlsSecurity } from './mtls.js';
import { writeNodeMaterial } from './node-material.js';
import { BACKDATE_MS, certificateInfo, createKeyAndCsr, verifiedBy } from './pki.js';

export interface Issued {
  readonly certificate: string;
  readonly caCertificate: string;
}

export interface RenewerOptions {
  readonly security: MtlsSecurity;
  readonly dataDir: string;
  /** Asks the CA to sign the CSR (a manager signs itself; a worker calls a manager). */
  readonly renew: (csrPem: string) => Promise<Issued>;
  readonly log: Logger;
  /** [0, 1); Math.random by default. */
  readonly random?: () => number;
  /** Logged with a failure once the certificate has expired: what the operator must run (workers). */
  readonly expiredHint?: string;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** When to renew a certificate: a random point between 50 % and 80 % of its life (issued = notBefore + backdate). */
export function renewalTime(certPem: string, random: () => number): number {
  const info = certificateInfo(certPem);
  const issued = Math.min(info.notBefore + BACKDATE_MS, info.notAfter);
  const life = info.notAfter - issued;
  return issued + life * (0.5 + 0.3 * random());
}

export class CertificateRenewer {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly opts: RenewerOptions) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Renews now (also used at start for an expired certificate); concurrent calls share one renewal. */
  renewNow(): Promise<void> {
    this.inFlight ??= this.renewOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    const at = renewalTime(this.opts.security.material.certPem, this.opts.random ?? Math.random);
    const wait = Math.max(0, delayMs ?? at - Date.now());
    // setTimeout takes at most ~24.8 days; a longer wait is taken in steps.
    this.timer = setTimeout(() => this.fire(), Math.min(wait, 2 ** 31 - 1));
    this.timer.unref();
    if (delayMs === undefined && wait > 2 ** 31 - 1) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.schedule(), 2 ** 31 - 1);
      this.timer.unref();
    }
  }

  private fire(): void {
    this.renewNow().then(
      () => {
        this.failures = 0;
        this.schedule();
      },
      (e: unknown) => {
        this.failures++;
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures, 10));
        // Expired while running (no manager reachable in time): the certificate can no longer renew itself.
        const expired = this.opts.security.identity.notAfter <= Date.now();
        const hint = expired && this.opts.expiredHint ? { hint: this.opts.expiredHint } : {};
        this.opts.log.warn('certificate-renewal-failed', { error: e instanceof Error ? e.message : String(e), retryInMs: delay, ...hint });
        this.schedule(delay);
      },
    );
  }

  private async renewOnce(): Promise<void> {
    const { keyPem, csrPem } = await createKeyAndCsr();
    const issued = await this.opts.renew(csrPem);
    if (!verifiedBy(issued.certificate, issued.caCertificate)) throw new Error('the renewed certificate is not signed by the root that came with it');
    const material = { caPem: issued.caCertificate, certPem: issued.certificate, keyPem };
    if (this.stopped) return;
    writeNodeMaterial(this.opts.dataDir, material); // on disk before use: a crash now restarts with the new pair
    this.opts.security.update(material);
    const info = certificateInfo(issued.certificate);
    this.opts.log.info('certificate-renewed', { nodeId: info.commonName, role: info.role, notAfter: new Date(info.notAfter).toISOString() });
  }
}
