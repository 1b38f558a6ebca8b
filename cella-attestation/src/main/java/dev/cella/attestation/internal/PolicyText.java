package dev.cella.attestation.internal;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.TrustedRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one-line text form of {@link AttestationPolicy}: parsing (strict, every error names its
 * token) and canonical printing. See {@link AttestationPolicy} for the keys.
 *
 * <p>Thread-safe (stateless).
 */
public final class PolicyText {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,5}");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private PolicyText() {}

  /** Parses {@code text}; see {@link AttestationPolicy#parse}. */
  public static AttestationPolicy parse(String text) {
    Objects.requireNonNull(text, "text");
    AttestationPolicy.Builder builder = AttestationPolicy.builder();
    String stripped = text.strip();
    Set<String> seen = new HashSet<>();
    if (!stripped.isEmpty()) {
      for (String token : WHITESPACE.split(stripped)) {
        try {
          apply(builder, token, seen);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("policy token '" + token + "': " + e.getMessage(), e);
        }
      }
    }
    return builder.build();
  }

  private static void apply(AttestationPolicy.Builder b, String token, Set<String> seen) {
    int eq = token.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("expected key=value");
    }
    String key = token.substring(0, eq);
    String value = token.substring(eq + 1);
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty value");
    }
    if (!key.equals("root") && !seen.add(key)) {
      throw new IllegalArgumentException("key '" + key + "' given twice");
    }
    switch (key) {
      case "identity" -> {
        only(value, "any");
        b.anyIdentity();
      }
      case "measurement" -> b.measurement(hex(value));
      case "signer" -> b.signer(hex(value));
      case "product" -> b.productId(decimal(value));
      case "min-svn" -> b.minSvn(decimal(value));
      case "debug" -> {
        only(value, "allow");
        b.insecureAllowDebug();
      }
      case "nonce" -> b.nonce(hex(value));
      case "report-data" -> b.reportData(hex(value));
      case "platform" -> b.platforms(platforms(value));
      case "root" -> b.trustSoftwarePlatform(Path.of(value));
      case "insecure" -> {
        only(value, "accept-simulated");
        b.insecureAcceptSimulated();
      }
      case "tcb" -> b.acceptTcb(statuses(value));
      default -> {
        if (!ClaimNames.isKnown(key)) {
          throw new IllegalArgumentException("unknown key '" + key + "'");
        }
        b.requireClaim(key, value);
      }
    }
  }

  /** The canonical text; {@code strict} refuses roots that have no file. */
  public static String print(AttestationPolicy policy, boolean strict) {
    List<String> tokens = new ArrayList<>();
    if (policy.anyIdentity()) {
      tokens.add("identity=any");
    }
    policy.measurement().ifPresent(m -> tokens.add("measurement=" + m.hex()));
    policy.signer().ifPresent(s -> tokens.add("signer=" + s.hex()));
    policy.productId().ifPresent(p -> tokens.add("product=" + p));
    policy.minSvn().ifPresent(s -> tokens.add("min-svn=" + s));
    if (policy.debugAllowed()) {
      tokens.add("debug=allow");
    }
    policy.nonce().ifPresent(n -> tokens.add("nonce=" + n.hex()));
    policy.reportData().ifPresent(r -> tokens.add("report-data=" + r.hex()));
    policy.platforms().ifPresent(kinds -> tokens.add("platform="
        + kinds.stream().map(PlatformKind::id).collect(Collectors.joining(","))));
    for (TrustedRoot root : policy.trustedRoots()) {
      if (root.pemFile().isPresent()) {
        tokens.add("root=" + root.pemFile().get());
      } else if (strict) {
        throw new IllegalStateException("root " + PlatformCertificates.describe(root.certificate())
            + " was given as a certificate, not a file; the text form names roots by file");
      } else {
        tokens.add("root=<in-memory sha256:"
            + PlatformCertificates.sha256Fingerprint(root.certificate()) + ">");
      }
    }
    if (policy.insecureAcceptsSimulated()) {
      tokens.add("insecure=accept-simulated");
    }
    if (!policy.acceptedTcbStatuses().equals(EnumSet.of(TcbStatus.UP_TO_DATE))) {
      tokens.add("tcb=" + policy.acceptedTcbStatuses().stream()
          .map(TcbStatus::id).collect(Collectors.joining(",")));
    }
    policy.claimRequirements().forEach((name, value) -> tokens.add(name + "=" + value));
    return String.join(" ", tokens);
  }

  private static void only(String value, String expected) {
    if (!value.equals(expected)) {
      throw new IllegalArgumentException("the only value is '" + expected + "'");
    }
  }

  private static Bytes hex(String value) {
    return Bytes.fromHex(value);
  }

  private static int decimal(String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new IllegalArgumentException("not a decimal number without sign or leading zeros");
    }
    return Integer.parseInt(value);
  }

  private static Set<PlatformKind> platforms(String value) {
    Set<PlatformKind> kinds = EnumSet.noneOf(PlatformKind.class);
    for (String id : value.split(",", -1)) {
      if (id.isEmpty()) {
        throw new IllegalArgumentException("empty platform name");
      }
      if (!kinds.add(PlatformKind.fromId(id))) {
        throw new IllegalArgumentException("platform '" + id + "' named twice");
      }
    }
    return kinds;
  }

  private static Set<TcbStatus> statuses(String value) {
    Set<TcbStatus> statuses = EnumSet.noneOf(TcbStatus.class);
    for (String id : value.split(",", -1)) {
      if (!statuses.add(TcbStatus.fromId(id))) {
        throw new IllegalArgumentException("TCB status '" + id + "' named twice");
      }
    }
    return statuses;
  }
}
