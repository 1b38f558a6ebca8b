package dev.cella.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.PlatformKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random canonical policy texts (without roots, which need files) print back exactly. */
class AttestationPolicyTextPropertyTest {

  @Property(tries = 300)
  void canonicalText_roundTripsExactly(@ForAll("canonicalPolicies") String text) {
    AttestationPolicy policy = AttestationPolicy.parse(text);
    assertThat(policy.toText()).isEqualTo(text);
    AttestationPolicy again = AttestationPolicy.parse(policy.toText());
    assertThat(again).isEqualTo(policy);
    assertThat(again.toText()).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> canonicalPolicies() {
    Arbitrary<String> hex = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)
        .map(b -> HexFormat.of().formatHex(b));
    Arbitrary<String> u16 = Arbitraries.integers().between(0, 65535).map(String::valueOf);
    Arbitrary<String> identity = Arbitraries.oneOf(
        Arbitraries.just("identity=any"),
        Combinators.combine(hex, u16.optional()).as((m, svn) ->
            "measurement=" + m + svn.map(s -> " min-svn=" + s).orElse("")),
        Combinators.combine(hex, u16, u16.optional()).as((s, p, svn) ->
            "signer=" + s + " product=" + p + svn.map(v -> " min-svn=" + v).orElse("")),
        Combinators.combine(hex, hex, u16).as((m, s, p) ->
            "measurement=" + m + " signer=" + s + " product=" + p));
    Arbitrary<String> debug = Arbitraries.of("", "debug=allow");
    Arbitrary<String> nonce = hex.map(h -> "nonce=" + h).injectNull(0.5).map(s -> s == null ? "" : s);
    Arbitrary<String> reportData = hex.map(h -> "report-data=" + h).injectNull(0.5)
        .map(s -> s == null ? "" : s);
    Arbitrary<String> platforms = Arbitraries.subsetOf(PlatformKind.values()).ofMinSize(1)
        .map(kinds -> {
          Set<PlatformKind> sorted = EnumSet.copyOf(kinds);
          String list = sorted.stream().map(PlatformKind::id).collect(Collectors.joining(","));
          return "platform=" + list + (sorted.contains(PlatformKind.SIM) ? " insecure=accept-simulated" : "");
        })
        .injectNull(0.3).map(s -> s == null ? "" : s);
    Arbitrary<String> tcb = Arbitraries.subsetOf(TcbStatus.values()).ofMinSize(1)
        .filter(s -> !s.equals(Set.of(TcbStatus.UP_TO_DATE)))
        .map(s -> "tcb=" + EnumSet.copyOf(s).stream().map(TcbStatus::id).collect(Collectors.joining(",")))
        .injectNull(0.5).map(s -> s == null ? "" : s);
    Arbitrary<String> claims = Arbitraries.maps(
            Arbitraries.of("mrenclave", "mrtd", "rtmr0", "host-data", "vmpl", "pcr0", "pcr17",
                "jdk-version", "image-measurement", "td-attributes"),
            Arbitraries.strings().withChars("0123456789abcdefABCDEF.+-_:").ofMinLength(1).ofMaxLength(12))
        .ofMaxSize(4)
        .map(m -> new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));
    return Combinators.combine(identity, debug, nonce, reportData, platforms, tcb, claims)
        .as((i, d, n, r, p, t, c) -> {
          List<String> parts = new ArrayList<>();
          for (String part : List.of(i, d, n, r, p, t, c)) {
            if (!part.isEmpty()) {
              parts.add(part);
            }
          }
          return String.join(" ", parts);
        });
  }
}
