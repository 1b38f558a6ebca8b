package it.cella.plain;

import dev.cella.enclave.TrustedApplication;

public final class Echo implements TrustedApplication {
  @Override
  public byte[] run(byte[] input) {
    return input;
  }
}
