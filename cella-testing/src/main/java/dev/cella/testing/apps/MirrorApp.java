package dev.cella.testing.apps;

import dev.cella.enclave.TrustedApplication;

/**
 * An enclave application whose {@code run} returns its input, the same array, without looking
 * at it: what the transport benchmarks call, so that they measure moving the bytes and nothing an
 * application does with them ({@link EchoApp} decodes its whole input as a command first).
 *
 * <p>Stateless and thread-safe.
 */
public final class MirrorApp implements TrustedApplication {
  @Override
  public byte[] run(byte[] input) {
    return input;
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    return finalInput;
  }
}
