// Original file: proto/shoal/v1/ca.proto


export interface RenewNodeCertificateRequest {
  /**
   * PEM PKCS#10 request for the node's new key; its subject is ignored.
   */
  'csr'?: (string);
  /**
   * Only without a valid certificate: the node to renew, and a current join token.
   */
  'nodeId'?: (string);
  'token'?: (string);
}

export interface RenewNodeCertificateRequest__Output {
  /**
   * PEM PKCS#10 request for the node's new key; its subject is ignored.
   */
  'csr': (string);
  /**
   * Only without a valid certificate: the node to renew, and a current join token.
   */
  'nodeId': (string);
  'token': (string);
}
