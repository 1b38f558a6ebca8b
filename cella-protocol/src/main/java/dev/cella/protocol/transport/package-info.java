/**
 * The shared-memory transport of the isolating backends: a {@link
 * dev.cella.protocol.transport.SharedChannel} (a file both processes map, holding one ring each
 * way), an {@link dev.cella.protocol.transport.Endpoint} per side that multiplexes many calls and
 * nested calls over it, and a {@link dev.cella.protocol.transport.Doorbell} that wakes a side that
 * sleeps. JDK only; everything read from shared memory is checked, as the other side is untrusted.
 * See {@code docs/process-backend.md}.
 */
package dev.cella.protocol.transport;
