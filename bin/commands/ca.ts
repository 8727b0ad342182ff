/**
 * `shoal ca client-cert|inspect`: certificates for remote administration and
 * a look at the cluster's root. Both talk to the local manager's socket by
 * default (client certificates can be minted only there or by a manager).
 */
import type { Argv } from 'yargs';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShoalError } from '../../src/errors.js';
import type { CertificateResponse__Output } from '../../src/generated/shoal/v1/CertificateResponse.js';
import type { InspectCAResponse__Output } from '../../src/generated/shoal/v1/InspectCAResponse.js';
import { loadProtos } from '../../src/proto/load.js';
import { certificateInfo, createKeyAndCsr } from '../../src/security/pki.js';
import { targetFor, unaryCall, type GlobalArgs } from '../client.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from '../tls.js';
import { printJson } from '../output.js';

function caClient(target: string): InstanceType<ReturnType<typeof loadProtos>['grpcObject']['shoal']['v1']['CertificateAuthority']> {
  return new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(target, clientCredentials(target), CLIENT_CHANNEL_OPTIONS);
}

export function registerCa(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('ca', 'The cluster\'s certificate authority', (y) =>
    y
      .command(
        'client-cert',
        'Write a client certificate (role admin: Control and Watch) for `shoal -H HOST:PORT --tls-dir DIR` and other gRPC clients',
        (yy) =>
          yy
            .option('out', { type: 'string', demandOption: true, describe: 'Directory to write ca.pem, cert.pem and key.pem into (created 0700)' })
            .option('name', { type: 'string', default: 'admin', describe: 'The certificate\'s common name (shows who called, in logs)' })
            .example('$0 ca client-cert --out ~/.shoal-admin', 'Then: shoal -H 10.0.0.5:4242 --tls-dir ~/.shoal-admin node ls'),
        async (a) => {
          const target = targetFor(a);
          const { keyPem, csrPem } = await createKeyAndCsr();
          const client = caClient(target);
          let res: CertificateResponse__Output;
          try {
            res = await unaryCall(target, (md, o, cb) => client.IssueClientCertificate({ csr: csrPem, name: a.name }, md, o, cb));
          } finally {
            client.close();
          }
          const out = resolve(String(a.out));
          mkdirSync(out, { recursive: true, mode: 0o700 });
          chmodSync(out, 0o700);
          writeFileSync(join(out, 'key.pem'), keyPem, { mode: 0o600 });
          writeFileSync(join(out, 'cert.pem'), res.certificate, { mode: 0o600 });
          writeFileSync(join(out, 'ca.pem'), res.caCertificate, { mode: 0o600 });
          const info = certificateInfo(res.certificate);
          if (a.quiet) return void process.stdout.write(`${out}\n`);
          process.stdout.write(
            `Wrote ${out}/{ca.pem,cert.pem,key.pem}: role admin, name ${info.commonName}, valid until ${new Date(info.notAfter).toISOString()}.\n` +
              `Use it with: shoal -H HOST:PORT --tls-dir ${out} …  (or export SHOAL_TLS_DIR=${out})\n`,
          );
        },
      )
      .command('inspect', 'Show the root certificate, its digest and expiry, node certificate lifetime and the deny list', (yy) => yy, async (a) => {
        const target = targetFor(a);
        const client = caClient(target);
        let r: InspectCAResponse__Output;
        try {
          r = await unaryCall(target, (md, o, cb) => client.InspectCA({}, md, o, cb));
        } finally {
          client.close();
        }
        const record = {
          digest: r.digest,
          notBefore: new Date(Number(r.notBeforeMs)).toISOString(),
          notAfter: new Date(Number(r.notAfterMs)).toISOString(),
          nodeCertExpiry: `${Math.round(Number(r.nodeCertExpiryMs) / 3_600_000)}h`,
          deniedCertificates: r.deniedCertificates,
          rotation: 'none in progress',
          certificate: r.caCertificate,
        };
        if (a.format === 'json') return printJson(record);
        process.stdout.write(
          `Root CA digest:        ${record.digest}\nValid:                 ${record.notBefore} to ${record.notAfter}\n` +
            `Node certificates:     ${record.nodeCertExpiry}\nDenied certificates:   ${record.deniedCertificates} (removed nodes)\nRotation:              ${record.rotation}\n\n${r.caCertificate}`,
        );
      })
      .demandCommand(1, 'Say what to do: `shoal ca client-cert` or `shoal ca inspect`.'),
  );
}

/** For `init --cert-expiry`: at least an hour (a test-only variable lowers it). */
export function checkCertExpiry(ms: number, min: number): number {
  if (ms < min) throw new ShoalError('INVALID_ARGUMENT', `--cert-expiry must be at least ${min >= 3_600_000 ? `${min / 3_600_000}h` : `${min}ms`}`);
  return ms;
}
