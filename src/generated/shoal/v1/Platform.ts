// Original file: proto/shoal/v1/objects.proto


/**
 * Operating system and CPU architecture of a node.
 */
export interface Platform {
  /**
   * Operating system as Node's process.platform names it, e.g. "linux".
   */
  'os'?: (string);
  /**
   * CPU architecture as Node's process.arch names it, e.g. "x64", "arm64".
   */
  'arch'?: (string);
}

/**
 * Operating system and CPU architecture of a node.
 */
export interface Platform__Output {
  /**
   * Operating system as Node's process.platform names it, e.g. "linux".
   */
  'os': (string);
  /**
   * CPU architecture as Node's process.arch names it, e.g. "x64", "arm64".
   */
  'arch': (string);
}
