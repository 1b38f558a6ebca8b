package dev.cella.backend.process.hostcalls;

import dev.cella.HostService;

/** A host service that {@link HostCallsApp} calls from its own threads. */
@HostService
public interface Holder {
  /** Returns once the host lets it go. */
  String hold();

  /** Returns at once. */
  String ping();
}
