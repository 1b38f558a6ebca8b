package dev.cella.backend.sim;

import dev.cella.testing.EnclaveConformanceSuite;

/** The conformance suite on the sim backend. */
class SimConformanceTest extends EnclaveConformanceSuite {
  @Override
  protected String backend() {
    return SimBackend.NAME;
  }
}
