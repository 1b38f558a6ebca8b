package dev.cella.backend.vm;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.Manifest;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code vm} backend: runs the enclave — the same signed bundle as on {@code sim} and {@code
 * process} — in a QEMU micro-VM with its own Linux kernel, no network device and one virtio
 * serial port to the host carrying the same frames. The guest boots Debian's kernel and an
 * initramfs the backend builds from the machine's busybox and a {@code jlink}-ed JDK 25, cached
 * by content; the runtime inside re-measures the bundle and refuses to start on a difference.
 * The platform states the SHA-384 of the kernel, the initramfs and the command line in the
 * evidence beside the bundle's measurement.
 *
 * <p>KVM when a guest really boots under it (probed once per JVM with a short timeout, when the
 * backend is first asked about), else QEMU's TCG emulation, with a warning at the first launch:
 * emulation is slow (seconds per boot, and every call crosses an emulated device).
 *
 * <pre>{@code
 * Enclave enclave = manager.load("signer", bundle,
 *     EnclaveOptions.builder().backend(VmBackend.NAME).build());
 * }</pre>
 *
 * <p>Available when QEMU, a kernel, busybox and a JDK with jlink are here; see {@link #info()}
 * for what it protects against. Thread-safe.
 */
public final class VmBackend implements Backend {
  /** The name that selects this backend. */
  public static final String NAME = "vm";

  /** Room in a message beyond the frame limit: the initialization message's names and services. */
  private static final int MESSAGE_SLACK = 4 << 20;
  private static final System.Logger LOG = System.getLogger(VmBackend.class.getName());
  /** The TCG warning comes with the first launch, not with discovery: a host may never use vm. */
  private static final AtomicBoolean warnedAboutTcg = new AtomicBoolean();

  private static final class Probe {
    static final VmSetup SETUP;
    static final String FAILURE;
    /** Why VMs run under TCG emulation, or null under KVM (or with no setup). */
    static final String WHY_NOT_KVM;
    static final BackendInfo INFO;

    static {
      ImageSources.Detected detected = ImageSources.detect();
      if (detected.sourcesOrNull() == null) {
        SETUP = null;
        FAILURE = detected.missingOrNull();
        WHY_NOT_KVM = null;
      } else {
        Accelerator.Choice choice = Accelerator.choose(detected.sourcesOrNull());
        SETUP = new VmSetup(detected.sourcesOrNull(), choice.accelerator());
        WHY_NOT_KVM = choice.whyNotKvmOrNull();
        FAILURE = null;
      }
      INFO = info(SETUP, FAILURE);
    }
  }

  private static BackendInfo info(VmSetup setup, String failure) {
    String accel = setup == null ? "" : setup.accelerator() == Accelerator.KVM
        ? "; KVM" : "; TCG emulation (KVM not usable here: slow)";
    return new BackendInfo(NAME, PlatformKind.VM, SecurityLevel.VM_ISOLATION,
        "a QEMU micro-VM with its own Linux kernel and a jlinked JDK: no network device, one"
            + " virtio serial port carrying the frames; kernel, initramfs and command line"
            + " measured into the evidence" + accel,
        List.of(
            "a compromised or buggy enclave reaching the host's files, network or processes: it"
                + " runs on its own kernel in a VM with no network device, no disk and no shared"
                + " folder; its only way out is the serial port carrying frames to the host",
            "a compromised enclave attacking the host kernel through system calls: it sees only"
                + " the guest kernel; what reaches the host is QEMU's emulated devices (virtio"
                + " serial, entropy), and QEMU itself runs in its seccomp sandbox",
            "an enclave crash (exit, out of memory, a guest kernel panic) taking the host down:"
                + " calls fail with UNAVAILABLE and the host lives on",
            "accidental leaks: enclave code reaches host files and network only through the host"
                + " calls its host offers",
            "running other code than what was measured by mistake: the runtime re-measures its"
                + " bundle and class path and refuses to start on a difference, and the evidence"
                + " names the kernel, initramfs and command line the VM booted"),
        List.of(
            "a malicious host: with the platform embedded in the host JVM (the default) the host"
                + " holds the platform key, so it can forge evidence, and it derives the sealing"
                + " keys it hands the enclave, so it can read sealed data; the host also builds"
                + " and measures the image itself",
            "a compromised host application: until the platform runs as a separate service, the"
                + " application is the platform",
            "root, the host user running QEMU, or the hypervisor: they can read and change the"
                + " guest's memory (no memory encryption: that takes SEV-SNP or TDX, see cvm)",
            "physical access and side channels (timing, caches) shared with the host",
            "bugs in QEMU's device emulation or in KVM: they are the boundary",
            "denial of service: the host can starve, stop or kill the VM",
            "lying host-call results: they are untrusted input the enclave must check"),
        Optional.ofNullable(failure));
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

  /** For tests and benchmarks: whether VMs run under KVM here (else TCG emulation). */
  public static boolean usesKvm() {
    return Probe.SETUP != null && Probe.SETUP.accelerator() == Accelerator.KVM;
  }

  @Override
  public EnclaveConnection launch(LaunchRequest request) {
    refuseWhatTheGuestCannotHave(request);
    VmSetup setup = Probe.SETUP;
    if (setup == null) {
      throw new EnclaveException(Code.UNAVAILABLE,
          "the vm backend is not available here: " + Probe.FAILURE);
    }
    if (setup.accelerator() == Accelerator.TCG && !warnedAboutTcg.getAndSet(true)) {
      LOG.log(System.Logger.Level.WARNING, "vm backend: KVM is not usable here ({0}); VMs run"
          + " under QEMU''s TCG emulation, which is SLOW: tens of seconds per boot and about a"
          + " millisecond per call", Probe.WHY_NOT_KVM);
    }
    int frames = request.limits().maxFrameBytes();
    int maxMessageBytes = frames > Integer.MAX_VALUE - MESSAGE_SLACK
        ? Integer.MAX_VALUE - 64 : frames + MESSAGE_SLACK;
    return VmConnection.start(setup, request, maxMessageBytes);
  }

  /**
   * The guest has no shared folder and no loopback relay yet, and its runtime does not own its
   * standard streams: a bundle that needs file or network grants or runs a program is refused at
   * launch, not run without what it was granted.
   */
  private static void refuseWhatTheGuestCannotHave(LaunchRequest request) {
    if (request.manifest().length() == 0) {
      return;
    }
    Manifest manifest;
    try {
      manifest = Manifest.fromJson(request.manifest().toByteArray());
    } catch (InvalidBundleException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT,
          "the launch request's manifest is invalid: " + e.getMessage(), e);
    }
    List<String> missing = new java.util.ArrayList<>();
    if (!manifest.hostAccess().files().isEmpty()) {
      missing.add("file grants");
    }
    if (!manifest.hostAccess().network().isEmpty()) {
      missing.add("network grants");
    }
    if (manifest.application().isPresent()) {
      missing.add("application mode");
    }
    if (!missing.isEmpty()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the vm backend does not provide "
          + String.join(", ", missing) + " yet (bundle '" + manifest.name()
          + "'); run it on the process backend");
    }
  }
}
