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
}
