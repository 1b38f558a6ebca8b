package dev.cella.backend.process;

import dev.cella.testing.NetworkConformanceSuite;

/** The network suite on the process backend: every byte relayed, the grants enforced. */
class ProcessNetworkTest extends NetworkConformanceSuite {
  @Override
  protected String backend() {
    return ProcessBackend.NAME;
  }
}
