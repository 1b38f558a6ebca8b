package dev.cella.attestation;

import java.util.List;
import java.util.Objects;

/**
 * How the vendor's collateral rates the platform's TCB: a status and the security advisories
 * (e.g. {@code INTEL-SA-00615}) that apply to it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the TCB status
 * @param advisoryIds the advisories that apply, in the collateral's order
 */
public record TcbAppraisal(TcbStatus status, List<String> advisoryIds) {
  public TcbAppraisal {
    Objects.requireNonNull(status, "status");
    advisoryIds = List.copyOf(advisoryIds);
  }
}
