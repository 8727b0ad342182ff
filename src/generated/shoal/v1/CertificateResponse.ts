// Original file: proto/shoal/v1/ca.proto


export interface CertificateResponse {
  /**
   * PEM certificate signed by the cluster's root.
   */
  'certificate'?: (string);
  /**
   * PEM root certificate to trust.
   */
  'caCertificate'?: (string);
}

export interface CertificateResponse__Output {
  /**
   * PEM certificate signed by the cluster's root.
   */
  'certificate': (string);
  /**
   * PEM root certificate to trust.
   */
  'caCertificate': (string);
}
