package io.moelora.gateway.stream;

/**
 * One server-sent event as it goes on the wire.
 *
 * @param id   the stream position after it (see {@code StreamPosition}), or null for events that
 *             do not move a client's position (heartbeats)
 * @param name the SSE {@code event:} name, e.g. {@code checkpoint}
 * @param data JSON
 */
public record StreamEvent(String id, String name, String data) {}
