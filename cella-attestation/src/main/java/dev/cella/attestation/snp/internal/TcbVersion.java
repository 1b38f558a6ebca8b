package dev.cella.attestation.snp.internal;

/**
 * The components of a 64-bit TCB_VERSION. Milan and Genoa: byte 0 boot loader, 1 TEE, 6 SNP,
 * 7 microcode. Turin: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode.
 *
 * <p>Immutable and thread-safe.
 *
 * @param fmc the FMC SPL (Turin only, else -1)
 */
public record TcbVersion(int bootloader, int tee, int snp, int microcode, int fmc) {

  /** Decodes {@code raw} (the little-endian field as read) with the layout of a product. */
  public static TcbVersion of(long raw, boolean turin) {
    if (turin) {
      return new TcbVersion(b(raw, 1), b(raw, 2), b(raw, 3), b(raw, 7), b(raw, 0));
    }
    return new TcbVersion(b(raw, 0), b(raw, 1), b(raw, 6), b(raw, 7), -1);
  }

  private static int b(long raw, int index) {
    return (int) (raw >>> (8 * index)) & 0xFF;
  }

  /** The KDS query string for this TCB ({@code blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..}). */
  public String kdsQuery() {
    return (fmc >= 0 ? "fmcSPL=" + fmc + "&" : "") + "blSPL=" + bootloader + "&teeSPL=" + tee
        + "&snpSPL=" + snp + "&ucodeSPL=" + microcode;
  }

  @Override
  public String toString() {
    return (fmc >= 0 ? "fmc " + fmc + ", " : "") + "boot loader " + bootloader + ", TEE " + tee
        + ", SNP " + snp + ", microcode " + microcode;
  }
}
