// Original file: proto/shoal/v1/allocator.proto

import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from '../../shoal/v1/NetworkAttachment.js';

/**
 * Response of AttachNetwork.
 */
export interface AttachNetworkResponse {
  /**
   * The allocated attachment.
   */
  'attachment'?: (_shoal_v1_NetworkAttachment | null);
}

/**
 * Response of AttachNetwork.
 */
export interface AttachNetworkResponse__Output {
  /**
   * The allocated attachment.
   */
  'attachment': (_shoal_v1_NetworkAttachment__Output | null);
}
