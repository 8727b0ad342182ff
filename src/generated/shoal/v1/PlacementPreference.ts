// Original file: proto/shoal/v1/objects.proto


/**
 * A spread preference: spread tasks evenly over the values of a node label.
 */
export interface PlacementPreference {
  /**
   * The label descriptor to spread over, e.g. "node.labels.zone".
   */
  'spreadDescriptor'?: (string);
}

/**
 * A spread preference: spread tasks evenly over the values of a node label.
 */
export interface PlacementPreference__Output {
  /**
   * The label descriptor to spread over, e.g. "node.labels.zone".
   */
  'spreadDescriptor': (string);
}
