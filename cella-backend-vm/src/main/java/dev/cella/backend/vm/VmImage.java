package dev.cella.backend.vm;

import dev.cella.Bytes;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.cose.CellaEvidence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * The measured VM image an enclave boots: the kernel, the base initramfs (busybox, the jlinked
 * JDK, the kernel modules for the virtio channel, the init script) and the kernel command line,
 * with the SHA-384 of each. The platform states these in the evidence beside the bundle's
 * measurement, like Nitro's PCR0–2 (see {@code docs/evidence-format.md}). The bundle itself
 * travels in a second archive appended to the initramfs at launch; the bundle measurement covers
 * it, and the runtime re-measures it inside.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kernel the kernel file
 * @param initrd the base initramfs file (in the image cache)
 * @param commandLine the kernel command line
 * @param kernelDigest SHA-384 of the kernel file
 * @param initrdDigest SHA-384 of the base initramfs
 * @param commandLineDigest SHA-384 of the command line's UTF-8 bytes
 */
record VmImage(Path kernel, Path initrd, String commandLine, Bytes kernelDigest,
    Bytes initrdDigest, Bytes commandLineDigest) {

  VmImage {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(initrd, "initrd");
    Objects.requireNonNull(commandLine, "commandLine");
    Objects.requireNonNull(kernelDigest, "kernelDigest");
    Objects.requireNonNull(initrdDigest, "initrdDigest");
    Objects.requireNonNull(commandLineDigest, "commandLineDigest");
  }

  static Bytes sha384(byte[] bytes) {
    try {
      return Bytes.of(MessageDigest.getInstance("SHA-384").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Bytes commandLineDigest(String commandLine) {
    return sha384(commandLine.getBytes(StandardCharsets.UTF_8));
  }

  /** The combined image measurement of the evidence format (v2). */
  Bytes imageMeasurement() {
    return Bytes.of(CellaEvidence.vmImageMeasurement(kernelDigest.toByteArray(),
        initrdDigest.toByteArray(), commandLineDigest.toByteArray()));
  }

  /** The runtime facts the platform states in evidence for an enclave on this image. */
  Map<String, String> evidenceFacts() {
    return Map.of(
        ClaimNames.VM_KERNEL, kernelDigest.hex(),
        ClaimNames.VM_INITRD, initrdDigest.hex(),
        ClaimNames.VM_CMDLINE, commandLineDigest.hex(),
        ClaimNames.IMAGE_MEASUREMENT, imageMeasurement().hex());
  }
}
