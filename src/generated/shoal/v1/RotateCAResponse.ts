// Original file: proto/shoal/v1/ca.proto


export interface RotateCAResponse {
  /**
   * The new root's digest (join tokens carry it once the rotation completes).
   */
  'digest'?: (string);
  /**
   * Nodes to reissue.
   */
  'nodes'?: (number);
  /**
   * With `force`: the digest of the rotation this one replaced (empty if none was in progress).
   */
  'replacedDigest'?: (string);
}

export interface RotateCAResponse__Output {
  /**
   * The new root's digest (join tokens carry it once the rotation completes).
   */
  'digest': (string);
  /**
   * Nodes to reissue.
   */
  'nodes': (number);
  /**
   * With `force`: the digest of the rotation this one replaced (empty if none was in progress).
   */
  'replacedDigest': (string);
}
