package dev.cella.attestation;

/**
 * The TCB status a hardware vendor's collateral assigns to a platform (Intel DCAP's set; AMD and
 * AWS evidence that passes maps to {@link #UP_TO_DATE}). Not a verdict: the policy decides which
 * statuses it accepts (default: {@code UpToDate} only).
 */
public enum TcbStatus {
  UP_TO_DATE("UpToDate"),
  SW_HARDENING_NEEDED("SWHardeningNeeded"),
  CONFIGURATION_NEEDED("ConfigurationNeeded"),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
  OUT_OF_DATE("OutOfDate"),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
  REVOKED("Revoked");

  private final String id;

  TcbStatus(String id) {
    this.id = id;
  }

  /** The vendor's spelling, as in collateral and in the policy's {@code tcb=} key. */
  public String id() {
    return id;
  }

  /** The status with the vendor's spelling {@code id}. */
  public static TcbStatus fromId(String id) {
    for (TcbStatus status : values()) {
      if (status.id.equals(id)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown TCB status '" + id + "'");
  }
}
