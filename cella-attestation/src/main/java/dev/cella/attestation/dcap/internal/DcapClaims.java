package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.ClaimNames;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The claims of a verified quote: its (signed) body and what the collateral said of it. Stateless
 * and thread-safe.
 */
public final class DcapClaims {
  private static final HexFormat HEX = HexFormat.of();

  private DcapClaims() {}

  public static Map<String, String> sgx(SgxReportBody b, DcapVerification.Result r) {
    Map<String, String> c = common(r);
    c.put(ClaimNames.MRENCLAVE, HEX.formatHex(b.mrEnclave()));
    c.put(ClaimNames.MRSIGNER, HEX.formatHex(b.mrSigner()));
    c.put(ClaimNames.ISV_PROD_ID, Integer.toString(b.isvProdId()));
    c.put(ClaimNames.ISV_SVN, Integer.toString(b.isvSvn()));
    c.put(ClaimNames.ATTRIBUTES, HEX.formatHex(b.attributes()));
    c.put(ClaimNames.MISCSELECT, HEX.formatHex(b.miscselect()));
    c.put(ClaimNames.CONFIG_ID, HEX.formatHex(b.configId()));
    c.put(ClaimNames.CONFIG_SVN, Integer.toString(b.configSvn()));
    c.put(ClaimNames.CPU_SVN, HEX.formatHex(b.cpuSvn()));
    c.put(ClaimNames.ISV_EXT_PROD_ID, HEX.formatHex(b.isvExtProdId()));
    c.put(ClaimNames.ISV_FAMILY_ID, HEX.formatHex(b.isvFamilyId()));
    return c;
  }

  public static Map<String, String> tdx(TdReportBody b, DcapVerification.Result r) {
    Map<String, String> c = common(r);
    c.put(ClaimNames.MRTD, HEX.formatHex(b.mrTd()));
    List<String> rtmrs = List.of(ClaimNames.RTMR0, ClaimNames.RTMR1, ClaimNames.RTMR2,
        ClaimNames.RTMR3);
    for (int i = 0; i < 4; i++) {
      c.put(rtmrs.get(i), HEX.formatHex(b.rtmrs().get(i)));
    }
    c.put(ClaimNames.MRCONFIGID, HEX.formatHex(b.mrConfigId()));
    c.put(ClaimNames.MROWNER, HEX.formatHex(b.mrOwner()));
    c.put(ClaimNames.MROWNERCONFIG, HEX.formatHex(b.mrOwnerConfig()));
    c.put(ClaimNames.TD_ATTRIBUTES, HEX.formatHex(b.tdAttributes()));
    c.put(ClaimNames.XFAM, HEX.formatHex(b.xfam()));
    c.put(ClaimNames.TEE_TCB_SVN, HEX.formatHex(b.teeTcbSvn()));
    c.put(ClaimNames.MRSEAM, HEX.formatHex(b.mrSeam()));
    c.put(ClaimNames.MRSIGNERSEAM, HEX.formatHex(b.mrSignerSeam()));
    c.put(ClaimNames.SEAM_ATTRIBUTES, HEX.formatHex(b.seamAttributes()));
    b.teeTcbSvn2().ifPresent(v -> c.put(ClaimNames.TEE_TCB_SVN2, HEX.formatHex(v)));
    b.mrServiceTd().ifPresent(v -> c.put(ClaimNames.MRSERVICETD, HEX.formatHex(v)));
    return c;
  }

  private static Map<String, String> common(DcapVerification.Result r) {
    Map<String, String> c = new HashMap<>();
    c.put(ClaimNames.FMSPC, r.pck().fmspc());
    c.put(ClaimNames.TCB_DATE, r.platformLevel().tcbDate().toString());
    c.put(ClaimNames.TCB_EVALUATION_NUMBER, Long.toString(r.tcbInfo().evaluationDataNumber()));
    return c;
  }
}
