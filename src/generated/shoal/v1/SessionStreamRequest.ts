// Original file: proto/shoal/v1/dispatcher.proto

import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from '../../shoal/v1/SessionRequest.js';
import type { SessionHeartbeat as _shoal_v1_SessionHeartbeat, SessionHeartbeat__Output as _shoal_v1_SessionHeartbeat__Output } from '../../shoal/v1/SessionHeartbeat.js';
import type { SessionGoodbye as _shoal_v1_SessionGoodbye, SessionGoodbye__Output as _shoal_v1_SessionGoodbye__Output } from '../../shoal/v1/SessionGoodbye.js';

/**
 * A message from the worker on Connect.
 */
export interface SessionStreamRequest {
  /**
   * First message only: opens the session.
   */
  'open'?: (_shoal_v1_SessionRequest | null);
  /**
   * Every later message but the last: the worker is alive.
   */
  'heartbeat'?: (_shoal_v1_SessionHeartbeat | null);
  /**
   * The worker leaves this session on purpose: it is alive (it reconnects or stops).
   */
  'goodbye'?: (_shoal_v1_SessionGoodbye | null);
  'kind'?: "open"|"heartbeat"|"goodbye";
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
   * Every later message but the last: the worker is alive.
   */
  'heartbeat'?: (_shoal_v1_SessionHeartbeat__Output | null);
  /**
   * The worker leaves this session on purpose: it is alive (it reconnects or stops).
   */
  'goodbye'?: (_shoal_v1_SessionGoodbye__Output | null);
  'kind'?: "open"|"heartbeat"|"goodbye";
}
