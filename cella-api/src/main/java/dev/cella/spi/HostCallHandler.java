package dev.cella.spi;

/**
 * Where a backend delivers the frames the enclave sends to its host while a call is in flight
 * (host calls and platform requests), and takes back the response frame.
 *
 * <p>Thread-safe; called on the backend's threads, possibly many at once.
 */
@FunctionalInterface
public interface HostCallHandler {
  /** Handles one frame from the enclave and returns the response frame. Never throws. */
  byte[] handle(byte[] frame);
}
