package dev.cella.backend.sim;

import dev.cella.testing.NetworkConformanceSuite;

/** The network suite on sim: nothing relayed, nothing enforced; the enforcement tests skip. */
class SimNetworkTest extends NetworkConformanceSuite {
  @Override
  protected String backend() {
    return "sim";
  }
}
