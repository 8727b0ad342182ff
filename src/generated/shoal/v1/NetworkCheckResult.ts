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
   * Reservations: container attachments whose container does not exist (yet), made by
   * AttachNetwork, with the seconds they have left. Listed, not problems, until they are more
   * than 10 s past their deadline (the leader frees them at it); then they are problems.
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
   * Reservations: container attachments whose container does not exist (yet), made by
   * AttachNetwork, with the seconds they have left. Listed, not problems, until they are more
   * than 10 s past their deadline (the leader frees them at it); then they are problems.
   */
  'unclaimed': (string)[];
  /**
   * Every broken invariant found, as a sentence; empty = consistent.
   */
  'problems': (string)[];
}
