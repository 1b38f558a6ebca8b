package dev.cella.protocol.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealingKeyChainTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SEED = HEX.parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** Vectors from key-chain-vectors.py, an independent Python implementation (hmac, hashlib). */
  @Test
  void keyAt_matchesKnownAnswers() throws IOException {
    List<String> lines = vectorLines();
    assertThat(lines).hasSize(10);
    for (String line : lines) {
      String[] fields = line.split(" ");
      byte[] seed = HEX.parseHex(fields[0]);
      int svn = Integer.parseInt(fields[1]);
      assertThat(HEX.formatHex(SealingKeyChain.keyAt(seed, svn))).as("svn %d", svn)
          .isEqualTo(fields[2]);
    }
  }

  @Test
  void stepDown_fromTenToThree_equalsKeyAtThree() {
    byte[] k10 = SealingKeyChain.keyAt(SEED, 10);

    assertThat(SealingKeyChain.stepDown(k10, 10, 3)).isEqualTo(SealingKeyChain.keyAt(SEED, 3));
  }

  @Test
  void stepDown_toTheSameSvn_returnsACopyOfTheKey() {
    byte[] k7 = SealingKeyChain.keyAt(SEED, 7);

    byte[] same = SealingKeyChain.stepDown(k7, 7, 7);

    assertThat(same).isEqualTo(k7).isNotSameAs(k7);
  }

  @Test
  void stepDown_fromTopToZero_equalsKeyAtZero() {
    byte[] top = SealingKeyChain.keyAt(SEED, SealingKeyChain.MAX_SVN);

    assertThat(SealingKeyChain.stepDown(top, SealingKeyChain.MAX_SVN, 0))
        .isEqualTo(SealingKeyChain.keyAt(SEED, 0));
  }

  @Test
  void stepDown_doesNotModifyItsInput() {
    byte[] k5 = SealingKeyChain.keyAt(SEED, 5);
    byte[] copy = k5.clone();

    SealingKeyChain.stepDown(k5, 5, 0);

    assertThat(k5).isEqualTo(copy);
  }

  @Test
  void stepDown_upwards_isRefused() {
    byte[] k3 = SealingKeyChain.keyAt(SEED, 3);

    assertThatThrownBy(() -> SealingKeyChain.stepDown(k3, 3, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot step up")
        .hasMessageContaining("one-way");
  }

  @Test
  void keysAtNeighbouringSvns_differ() {
    assertThat(SealingKeyChain.keyAt(SEED, 4)).isNotEqualTo(SealingKeyChain.keyAt(SEED, 5));
  }

  @Test
  void keyAt_withOtherSeed_differs() {
    byte[] other = SEED.clone();
    other[0] ^= 1;

    assertThat(SealingKeyChain.keyAt(other, 9)).isNotEqualTo(SealingKeyChain.keyAt(SEED, 9));
  }

  @Test
  void keyAt_withShortSeed_isRefused() {
    assertThatThrownBy(() -> SealingKeyChain.keyAt(new byte[16], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 16");
  }

  @Test
  void keyAt_withSvnOutOfRange_isRefused() {
    assertThatThrownBy(() -> SealingKeyChain.keyAt(SEED, 65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> SealingKeyChain.keyAt(SEED, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stepDown_withWrongKeyLength_isRefused() {
    assertThatThrownBy(() -> SealingKeyChain.stepDown(new byte[31], 5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain key");
  }

  private static List<String> vectorLines() throws IOException {
    try (InputStream in = SealingKeyChainTest.class.getResourceAsStream("key-chain-vectors.txt")) {
      assertThat(in).as("key-chain-vectors.txt on the test class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }
}
