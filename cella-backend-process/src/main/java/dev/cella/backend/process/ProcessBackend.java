package dev.cella.backend.process;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.protocol.transport.SharedChannel;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code process} backend: runs the enclave — the same signed bundle as on {@code sim} — in a
 * separate JVM of the host's JDK, inside a bubblewrap sandbox (no network, a read-only file system
 * holding only the JDK and the bundle, its own PID, IPC and UTS namespaces, no capabilities, no
 * environment), made non-dumpable so that other processes of the same user cannot read its
 * memory. Frames cross a shared-memory ring each way; an idle enclave sleeps on a doorbell.
 *
 * <p>The enclave runtime re-measures its bundle and class path and refuses to start when they
 * differ from the identity the platform initializes it with. With the platform embedded in the
 * host JVM (the default), the host holds the platform key and the sealing keys: see {@link
 * #info()} for what this protects against and what not.
 *
 * <pre>{@code
 * Enclave enclave = manager.load("signer", bundle,
 *     EnclaveOptions.builder().backend(ProcessBackend.NAME).build());
 * }</pre>
 *
 * <p>Available when bubblewrap is installed and can create the namespaces here; probed once per
 * JVM. Thread-safe.
 */
public final class ProcessBackend implements Backend {
  /** The name that selects this backend. */
  public static final String NAME = "process";

  /** Room in a message beyond the frame limit: the initialization message's names and services. */
  private static final int MESSAGE_SLACK = 4 << 20;

  private static final class Probe {
    static final Sandbox.Result RESULT = Sandbox.probe();
    static final BackendInfo INFO = info(RESULT);
    static final Optional<AotCache> AOT = AotCache.fromSystem();
  }

  private static final String MEMORY = "another process of the same user reading the enclave's"
      + " memory: the enclave is non-dumpable";

  private static BackendInfo info(Sandbox.Result probe) {
    boolean memoryProtected = probe.sandboxOrNull() == null || probe.sandboxOrNull().privileged();
    List<String> protects = new ArrayList<>(List.of(
        "a compromised or buggy enclave reaching the host's files, network or processes: it has"
            + " no network but its own loopback, sees only the JDK, its bundle and a private /tmp,"
            + " cannot write elsewhere, sees only its own processes and has no capabilities",
        "an enclave crash (exit, out of memory, a signal) taking the host down: calls fail with"
            + " UNAVAILABLE and the host lives on",
        "accidental leaks: enclave code reaches host files and network only through the host"
            + " calls its host offers",
        "running other code than what was measured by mistake: the runtime re-measures its"
            + " bundle and class path and refuses to start on a difference"));
    List<String> doesNot = new ArrayList<>(List.of(
        "a malicious host: with the platform embedded in the host JVM (the default) the host"
            + " holds the platform key, so it can forge evidence, and it derives the sealing keys"
            + " it hands the enclave, so it can read sealed data",
        "a compromised host application: until the platform runs as a separate service, the"
            + " application is the platform",
        "root or any process with CAP_SYS_PTRACE: it can read the enclave's memory",
        "the kernel, the hypervisor and physical access: they share the machine",
        "side channels (timing, caches, memory use) between the enclave and other processes",
        "denial of service: the host can starve, stop or kill the enclave",
        "lying host-call results: they are untrusted input the enclave must check"));
    if (memoryProtected) {
      protects.add(1, MEMORY + ", so the kernel refuses ptrace and /proc/PID/mem to processes"
          + " without CAP_SYS_PTRACE");
    } else {
      doesNot.add(2, MEMORY + ", but bubblewrap runs unprivileged here, so the sandbox's user"
          + " namespace belongs to the host's user and the kernel lets that user's processes read"
          + " the enclave's memory (run the host as root or with a setuid bwrap to close this)");
    }
    return new BackendInfo(NAME, PlatformKind.PROCESS, SecurityLevel.PROCESS_ISOLATION,
        "a separate JVM in a bubblewrap sandbox: no network, read-only minimal file system, own"
            + " PID/IPC/UTS namespaces, non-dumpable; frames over shared memory",
        protects, doesNot, Optional.ofNullable(probe.failureOrNull()));
  }

  /** {@value #NAME}, without the probe behind {@link #info()}. */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BackendInfo info() {
    return Probe.INFO;
  }

  /** For tests: whether the sandbox runs without a user namespace (see {@link Sandbox#privileged}). */
  static boolean sandboxIsPrivileged() {
    return Probe.RESULT.sandboxOrNull() != null && Probe.RESULT.sandboxOrNull().privileged();
  }

  @Override
  public EnclaveConnection launch(LaunchRequest request) {
    Sandbox sandbox = Probe.RESULT.sandboxOrNull();
    if (sandbox == null) {
      throw new EnclaveException(Code.UNAVAILABLE,
          "the process backend is not available here: " + Probe.RESULT.failureOrNull());
    }
    int frames = request.limits().maxFrameBytes();
    int maxMessageBytes = frames > Integer.MAX_VALUE - MESSAGE_SLACK
        ? Integer.MAX_VALUE - 64 : frames + MESSAGE_SLACK;
    return ProcessConnection.start(sandbox, request, SharedChannel.DEFAULT_RING_CAPACITY,
        maxMessageBytes, Probe.AOT);
  }
}
