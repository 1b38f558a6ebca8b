package dev.cella.attestation.dcap.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Intel's identity of a quoting enclave (PCS enclave identity v2: {@code QE} for SGX,
 * {@code TD_QE} for TDX, {@code QVE}), parsed from the exact bytes Intel signed. Immutable.
 *
 * @param miscselect 4 bytes in report order, as are {@code miscselectMask}
 * @param attributes 16 bytes, as are {@code attributesMask}
 */
public record EnclaveIdentity(String id, int version, Instant issueDate, Instant nextUpdate,
    long evaluationDataNumber, byte[] miscselect, byte[] miscselectMask, byte[] attributes,
    byte[] attributesMask, byte[] mrsigner, int isvProdId, List<Level> levels) {

  /** A QE TCB level: the lowest ISVSVN it covers. */
  public record Level(int isvSvn, Instant tcbDate, String status, List<String> advisoryIds) {}

  /** Parses the {@code enclaveIdentity} object's text. */
  public static EnclaveIdentity parse(byte[] signedText) throws IOException {
    JsonFields e = new JsonFields(Json.parse(signedText), "enclaveIdentity");
    int version = e.bounded("version", 1000);
    if (version != 2) {
      throw new IOException("enclaveIdentity.version " + version + " is not 2");
    }
    List<Level> levels = new ArrayList<>();
    int i = 0;
    for (Object o : e.list("tcbLevels")) {
      JsonFields l = new JsonFields(o, "enclaveIdentity.tcbLevels[" + i++ + "]");
      levels.add(new Level(l.object("tcb").bounded("isvsvn", 0xFFFF), l.instant("tcbDate"),
          l.string("tcbStatus"), l.strings("advisoryIDs")));
    }
    return new EnclaveIdentity(e.string("id"), version, e.instant("issueDate"),
        e.instant("nextUpdate"), e.number("tcbEvaluationDataNumber"), e.hex("miscselect", 4),
        e.hex("miscselectMask", 4), e.hex("attributes", 16), e.hex("attributesMask", 16),
        e.hex("mrsigner", 32), e.bounded("isvprodid", 0xFFFF), List.copyOf(levels));
  }
}
