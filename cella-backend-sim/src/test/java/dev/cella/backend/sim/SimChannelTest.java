package dev.cella.backend.sim;

import dev.cella.testing.ChannelConformanceSuite;

/** The channel suite on sim. */
class SimChannelTest extends ChannelConformanceSuite {
  @Override
  protected String backend() {
    return "sim";
  }
}
