// Original file: proto/shoal/v1/control.proto


/**
 * Filter shared by list requests. Empty fields do not filter; a non-empty
 * field keeps objects matching ANY of its values; different fields combine with AND.
 */
export interface ListFilter {
  /**
   * Exact names.
   */
  'names'?: (string)[];
  /**
   * ID prefixes.
   */
  'idPrefixes'?: (string)[];
  /**
   * Labels that must be present: an empty value matches any value of the key.
   */
  'labels'?: ({[key: string]: string});
}

/**
 * Filter shared by list requests. Empty fields do not filter; a non-empty
 * field keeps objects matching ANY of its values; different fields combine with AND.
 */
export interface ListFilter__Output {
  /**
   * Exact names.
   */
  'names': (string)[];
  /**
   * ID prefixes.
   */
  'idPrefixes': (string)[];
  /**
   * Labels that must be present: an empty value matches any value of the key.
   */
  'labels': ({[key: string]: string});
}
