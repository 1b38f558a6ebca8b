package dev.cella.backend.vm;

import dev.cella.testing.EnclaveConformanceSuite;

/**
 * The conformance suite on the vm backend. Every test boots its own VM (tens of seconds each
 * under TCG emulation), so it runs only in the {@code vm} Maven profile ({@code ./mvnw verify
 * -Pvm}, which {@code .ci/run} activates).
 */
class VmConformanceTest extends EnclaveConformanceSuite {
  @Override
  protected String backend() {
    return VmBackend.NAME;
  }
}
