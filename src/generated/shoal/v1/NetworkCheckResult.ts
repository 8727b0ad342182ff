// Original file: proto/shoal/v1/control.proto


/**
 * The result of checking one network.
 */
export interface NetworkCheckResult {
  /**
   * The network's ID.
   */
  'networkId'?: (string);
  /**
   * The network's name.
   */
  'name'?: (string);
  /**
   * How many endpoints it has.
   */
  'endpoints'?: (number);
  /**
   * Container attachments whose container does not exist (yet): normal while a
   * container is being created (AttachNetwork comes first); listed, not problems.
   */
  'unclaimed'?: (string)[];
  /**
   * Every broken invariant found, as a sentence; empty = consistent.
   */
  'problems'?: (string)[];
}

/**
 * The result of checking one network.
 */
export interface NetworkCheckResult__Output {
  /**
   * The network's ID.
   */
  'networkId': (string);
  /**
   * The network's name.
   */
  'name': (string);
  /**
   * How many endpoints it has.
   */
  'endpoints': (number);
  /**
   * Container attachments whose container does not exist (yet): normal while a
   * container is being created (AttachNetwork comes first); listed, not problems.
   */
  'unclaimed': (string)[];
  /**
   * Every broken invariant found, as a sentence; empty = consistent.
   */
  'problems': (string)[];
}
