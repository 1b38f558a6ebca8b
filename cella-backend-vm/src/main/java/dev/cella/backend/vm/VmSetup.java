package dev.cella.backend.vm;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every VM of this JVM shares: the image sources, the accelerator, the cached base
 * initramfs (built on first launch) and the digests of it and of the kernel (measured once per
 * JVM, at the first launch). The image cache is {@code cella.vm.cache}
 * when set, else {@code $CELLA_HOME/vm/images}.
 *
 * <p>Thread-safe.
 */
final class VmSetup {
  private final ImageSources sources;
  private final Accelerator accelerator;
  private Path baseOrNull;
  private Bytes baseDigestOrNull;
  private Bytes kernelDigestOrNull;

  VmSetup(ImageSources sources, Accelerator accelerator) {
    this.sources = sources;
    this.accelerator = accelerator;
  }

  ImageSources sources() {
    return sources;
  }

  Accelerator accelerator() {
    return accelerator;
  }

  static Path cacheBase() {
    String property = System.getProperty("cella.vm.cache");
    return property != null && !property.isBlank() ? Path.of(property)
        : SoftwarePlatform.defaultHome().resolve("vm").resolve("images");
  }

  /** The base initramfs, built when it is not cached yet. */
  synchronized Path base() {
    if (baseOrNull == null) {
      try {
        baseOrNull = ImageBuilder.obtain(sources, cacheBase());
      } catch (IOException | RuntimeException e) {
        throw new EnclaveException(Code.UNAVAILABLE,
            "cannot build the vm image in " + cacheBase() + ": " + e.getMessage(), e);
      }
    }
    return baseOrNull;
  }

  /** The kernel's and the base initramfs's SHA-384, measured once per JVM. */
  private synchronized Bytes[] digests() throws IOException {
    if (kernelDigestOrNull == null) {
      kernelDigestOrNull = LaunchArchive.sha384(sources.kernel());
      baseDigestOrNull = LaunchArchive.sha384(base());
    }
    return new Bytes[] {kernelDigestOrNull, baseDigestOrNull};
  }

  /** Writes {@code initrd} for {@code request} and returns the image it boots, measured. */
  VmImage image(Path initrd, LaunchRequest request, int maxMessageBytes) throws IOException {
    Bytes[] digests = digests();
    LaunchArchive.write(base(), initrd, request.bundleFile(), request.classPath(),
        jvmOptions(request), maxMessageBytes);
    return new VmImage(sources.kernel(), base(), GuestInit.COMMAND_LINE, digests[0], digests[1],
        VmImage.commandLineDigest(GuestInit.COMMAND_LINE));
  }

  /** The guest JVM's options, as for the process backend; C1 only under emulation. */
  List<String> jvmOptions(LaunchRequest request) {
    int heap = request.limits().heapMebibytes();
    List<String> options = new ArrayList<>(List.of(
        "-Xmx" + heap + "m", "-Xms" + Math.min(heap, 16) + "m", "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-XX:-UsePerfData",
        "-XX:+DisableAttachMechanism", "-Xshare:auto", "-Djava.io.tmpdir=/tmp"));
    if (accelerator == Accelerator.TCG) {
      options.add("-XX:TieredStopAtLevel=1");
    }
    String name = request.enclaveName();
    if (name.matches("[A-Za-z0-9._-]{1,64}")) {
      options.add("-Dcella.enclave.name=" + name);
    }
    return options;
  }
}
