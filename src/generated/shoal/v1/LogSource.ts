// Original file: proto/shoal/v1/control.proto


/**
 * Where lines come from.
 */
export interface LogSource {
  /**
   * Task or container ID.
   */
  'taskId'?: (string);
  /**
   * Task name ("web.1", or "web.<node-id>" for a global task); a container's name.
   */
  'taskName'?: (string);
  /**
   * The node that ran it.
   */
  'nodeId'?: (string);
  /**
   * That node's hostname.
   */
  'nodeName'?: (string);
}

/**
 * Where lines come from.
 */
export interface LogSource__Output {
  /**
   * Task or container ID.
   */
  'taskId': (string);
  /**
   * Task name ("web.1", or "web.<node-id>" for a global task); a container's name.
   */
  'taskName': (string);
  /**
   * The node that ran it.
   */
  'nodeId': (string);
  /**
   * That node's hostname.
   */
  'nodeName': (string);
}
