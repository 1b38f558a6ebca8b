package dev.cella.attestation.dcap.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Intel's TCB info for one FMSPC (PCS TCB info v2 for SGX, v3 for SGX and TDX), parsed from the
 * exact bytes Intel signed. Immutable.
 *
 * @param id {@code SGX} or {@code TDX} (v2 has no id and is SGX)
 * @param fmspc lower-case hex
 * @param pceId lower-case hex
 * @param tdxModule the TDX module's expected signer and attributes (TDX only)
 * @param tdxModuleIdentities per module version {@code TDX_%02X} (TDX v3 only)
 * @param levels the TCB levels, in Intel's order (highest first)
 */
public record TcbInfo(String id, int version, Instant issueDate, Instant nextUpdate, String fmspc,
    String pceId, long evaluationDataNumber, Optional<ModuleIdentity> tdxModule,
    List<ModuleIdentity> tdxModuleIdentities, List<Level> levels) {

  /** Component SVNs are bytes in quotes; collateral may carry larger numbers (never reached). */
  private static final int MAX_SVN = 0xFFFF;

  /** One TCB level. {@code tdxComponents} is empty for SGX. */
  public record Level(int[] sgxComponents, int pceSvn, Optional<int[]> tdxComponents,
      Instant tcbDate, String status, List<String> advisoryIds) {}

  /** A TDX module identity (or the v3 {@code tdxModule} entry, with id {@code TDX_00}). */
  public record ModuleIdentity(String id, byte[] mrsigner, byte[] attributes,
      byte[] attributesMask, List<ModuleLevel> levels) {}

  /** A TDX module TCB level. */
  public record ModuleLevel(int isvSvn, String status, List<String> advisoryIds) {}

  /** Parses the {@code tcbInfo} object's text. */
  public static TcbInfo parse(byte[] signedText) throws IOException {
    JsonFields t = new JsonFields(Json.parse(signedText), "tcbInfo");
    int version = t.bounded("version", 1000);
    if (version != 2 && version != 3) {
      throw new IOException("tcbInfo.version " + version + " is not 2 or 3");
    }
    String id = version == 2 ? "SGX" : t.string("id");
    if (!id.equals("SGX") && !id.equals("TDX")) {
      throw new IOException("tcbInfo.id '" + id + "' is not SGX or TDX");
    }
    String fmspc = HexFormat.of().formatHex(t.hex("fmspc", 6));
    String pceId = HexFormat.of().formatHex(t.hex("pceId", 2));
    Optional<ModuleIdentity> module = Optional.empty();
    List<ModuleIdentity> identities = new ArrayList<>();
    if (id.equals("TDX")) {
      JsonFields m = t.object("tdxModule");
      module = Optional.of(new ModuleIdentity("TDX_00", m.hex("mrsigner", 48),
          m.hex("attributes", 8), m.hex("attributesMask", 8), List.of()));
      if (t.has("tdxModuleIdentities")) {
        int i = 0;
        for (Object o : t.list("tdxModuleIdentities")) {
          identities.add(moduleIdentity(new JsonFields(o, "tcbInfo.tdxModuleIdentities[" + i++
              + "]")));
        }
      }
    }
    List<Level> levels = new ArrayList<>();
    int i = 0;
    for (Object o : t.list("tcbLevels")) {
      levels.add(level(new JsonFields(o, "tcbInfo.tcbLevels[" + i++ + "]"), version,
          id.equals("TDX")));
    }
    if (levels.isEmpty()) {
      throw new IOException("tcbInfo.tcbLevels is empty");
    }
    return new TcbInfo(id, version, t.instant("issueDate"), t.instant("nextUpdate"), fmspc, pceId,
        t.number("tcbEvaluationDataNumber"), module, List.copyOf(identities), List.copyOf(levels));
  }

  private static ModuleIdentity moduleIdentity(JsonFields m) throws IOException {
    List<ModuleLevel> levels = new ArrayList<>();
    int i = 0;
    for (Object o : m.list("tcbLevels")) {
      JsonFields l = new JsonFields(o, m.path() + ".tcbLevels[" + i++ + "]");
      levels.add(new ModuleLevel(l.object("tcb").bounded("isvsvn", 255), l.string("tcbStatus"),
          l.strings("advisoryIDs")));
    }
    return new ModuleIdentity(m.string("id").toUpperCase(Locale.ROOT), m.hex("mrsigner", 48),
        m.hex("attributes", 8), m.hex("attributesMask", 8), List.copyOf(levels));
  }

  private static Level level(JsonFields l, int version, boolean tdx) throws IOException {
    JsonFields tcb = l.object("tcb");
    int[] sgx = new int[16];
    Optional<int[]> tdxComponents = Optional.empty();
    if (version == 2) {
      for (int c = 0; c < 16; c++) {
        sgx[c] = tcb.bounded(String.format(Locale.ROOT, "sgxtcbcomp%02dsvn", c + 1), MAX_SVN);
      }
    } else {
      sgx = components(tcb, "sgxtcbcomponents");
      if (tdx) {
        tdxComponents = Optional.of(components(tcb, "tdxtcbcomponents"));
      }
    }
    return new Level(sgx, tcb.bounded("pcesvn", 0xFFFF), tdxComponents, l.instant("tcbDate"),
        l.string("tcbStatus"), l.strings("advisoryIDs"));
  }

  private static int[] components(JsonFields tcb, String key) throws IOException {
    List<?> list = tcb.list(key);
    if (list.size() != 16) {
      throw new IOException(tcb.path() + "." + key + " has " + list.size() + " entries, not 16");
    }
    int[] out = new int[16];
    for (int c = 0; c < 16; c++) {
      out[c] = new JsonFields(list.get(c), tcb.path() + "." + key + "[" + c + "]")
          .bounded("svn", MAX_SVN);
    }
    return out;
  }
}
