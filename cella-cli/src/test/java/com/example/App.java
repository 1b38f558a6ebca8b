package com.example;

import dev.cella.enclave.TrustedApplication;

/** A trusted application for the CLI's tests: answers "hello, INPUT". */
public final class App implements TrustedApplication {
  @Override
  public byte[] run(byte[] input) {
    return ("hello, " + new String(input, java.nio.charset.StandardCharsets.UTF_8))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
