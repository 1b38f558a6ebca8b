package dev.cella.backend.process;

import dev.cella.testing.ChannelConformanceSuite;

/** The channel suite on the process backend: two sandboxed enclaves attest each other. */
class ProcessChannelTest extends ChannelConformanceSuite {
  @Override
  protected String backend() {
    return ProcessBackend.NAME;
  }
}
