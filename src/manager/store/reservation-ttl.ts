/**
 * How long an address reserved for an owner that does not exist yet stays reserved
 * (AttachNetwork for a container ID before CreateContainer; later Docker's RequestAddress
 * before CreateEndpoint). A client that crashed in between never claims it; the leader frees
 * it after this bound. Generous against a slow client, short against a draining subnet.
 */
export const RESERVATION_TTL_MS = 30_000;

/** The longest reservation a client may ask for (AttachNetwork's reservation_ttl_ms). */
export const RESERVATION_TTL_MAX_MS = 10 * 60_000;
