// Original file: proto/shoal/v1/dispatcher.proto

import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from '../../shoal/v1/SessionRequest.js';
import type { SessionHeartbeat as _shoal_v1_SessionHeartbeat, SessionHeartbeat__Output as _shoal_v1_SessionHeartbeat__Output } from '../../shoal/v1/SessionHeartbeat.js';

/**
 * A message from the worker on Connect.
 */
export interface SessionStreamRequest {
  /**
   * First message only: opens the session.
   */
  'open'?: (_shoal_v1_SessionRequest | null);
  /**
   * Every later message: the worker is alive.
   */
  'heartbeat'?: (_shoal_v1_SessionHeartbeat | null);
  'kind'?: "open"|"heartbeat";
}

/**
 * A message from the worker on Connect.
 */
export interface SessionStreamRequest__Output {
  /**
   * First message only: opens the session.
   */
  'open'?: (_shoal_v1_SessionRequest__Output | null);
  /**
   * Every later message: the worker is alive.
   */
  'heartbeat'?: (_shoal_v1_SessionHeartbeat__Output | null);
  'kind'?: "open"|"heartbeat";
}
