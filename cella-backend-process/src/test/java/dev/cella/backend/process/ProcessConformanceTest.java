package dev.cella.backend.process;

import dev.cella.testing.EnclaveConformanceSuite;

/** The conformance suite on the process backend. */
class ProcessConformanceTest extends EnclaveConformanceSuite {
  @Override
  protected String backend() {
    return ProcessBackend.NAME;
  }
}
