// Original file: proto/shoal/v1/ca.proto


export interface IssueClientCertificateRequest {
  /**
   * PEM PKCS#10 request; its subject is ignored.
   */
  'csr'?: (string);
  /**
   * The certificate's CN: 1-64 letters, digits, '.', '_' or '-'.
   */
  'name'?: (string);
}

export interface IssueClientCertificateRequest__Output {
  /**
   * PEM PKCS#10 request; its subject is ignored.
   */
  'csr': (string);
  /**
   * The certificate's CN: 1-64 letters, digits, '.', '_' or '-'.
   */
  'name': (string);
}
