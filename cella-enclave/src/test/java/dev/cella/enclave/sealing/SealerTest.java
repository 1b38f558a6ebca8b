package dev.cella.enclave.sealing;

import static dev.cella.enclave.sealing.TestPlatform.identity;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.sealing.UnsealException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SealerTest {
  private static final byte[] AD = "config/v1".getBytes(UTF_8);
  private static final byte[] SECRET = "the enclave's private key, say".getBytes(UTF_8);

  private final TestPlatform platform = TestPlatform.standard();
  private final List<SealingKeys> opened = new ArrayList<>();

  @AfterEach
  void closeKeys() {
    opened.forEach(SealingKeys::close);
  }

  private Sealer sealer(EnclaveIdentity identity, SealPolicy policy) {
    SealingKeys keys = platform.keysFor(identity);
    opened.add(keys);
    return keys.sealer(policy);
  }

  private static UnsealException unsealFailure(ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(UnsealException.class);
    return (UnsealException) thrown;
  }

  @Test
  void seal_thenUnseal_returnsThePlaintext_forBothPolicies() throws Exception {
    for (SealPolicy policy : SealPolicy.values()) {
      Sealer sealer = sealer(identity(1, 2, 7, 3), policy);

      byte[] blob = sealer.seal(SECRET, AD);

      assertThat(blob).hasSize(SECRET.length + 56);
      assertThat(sealer.unseal(blob, AD)).isEqualTo(SECRET);
    }
  }

  @Test
  void seal_ofEmptyAndLargePlaintexts_roundTrips() throws Exception {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);
    byte[] large = new byte[1 << 20];
    new Random(1).nextBytes(large);

    assertThat(sealer.unseal(sealer.seal(new byte[0], AD), AD)).isEmpty();
    assertThat(sealer.unseal(sealer.seal(large, AD), AD)).isEqualTo(large);
  }

  @Test
  void seal_ofARange_sealsOnlyThatRange() throws Exception {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);

    byte[] blob = sealer.seal(SECRET, 4, 10, AD);

    assertThat(sealer.unseal(blob, AD)).isEqualTo(Arrays.copyOfRange(SECRET, 4, 14));
  }

  @Test
  void seal_twice_usesFreshNonces() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT);

    byte[] a = sealer.seal(SECRET, AD);
    byte[] b = sealer.seal(SECRET, AD);

    assertThat(Arrays.copyOfRange(a, 24, 36)).isNotEqualTo(Arrays.copyOfRange(b, 24, 36));
    assertThat(Arrays.copyOfRange(a, 40, a.length)).isNotEqualTo(Arrays.copyOfRange(b, 40, b.length));
  }

  @Test
  void unseal_withNullAssociatedData_equalsEmpty() throws Exception {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);

    assertThat(sealer.unseal(sealer.seal(SECRET, null), new byte[0])).isEqualTo(SECRET);
  }

  @Test
  void unseal_withOtherMeasurement_isRejected() {
    byte[] blob = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT).seal(SECRET, AD);
    Sealer other = sealer(identity(9, 2, 7, 3), SealPolicy.MEASUREMENT);

    UnsealException e = unsealFailure(() -> other.unseal(blob, AD));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_IDENTITY);
    assertThat(e).hasMessageContaining("another measurement");
  }

  @Test
  void unseal_withOtherSigner_isRejected() {
    byte[] blob = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER).seal(SECRET, AD);
    Sealer other = sealer(identity(1, 8, 7, 3), SealPolicy.SIGNER);

    assertThat(unsealFailure(() -> other.unseal(blob, AD)).reason())
        .isEqualTo(Reason.WRONG_IDENTITY);
  }

  @Test
  void unseal_withOtherProductId_isRejected() {
    byte[] blob = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER).seal(SECRET, AD);
    Sealer other = sealer(identity(1, 2, 8, 3), SealPolicy.SIGNER);

    assertThat(unsealFailure(() -> other.unseal(blob, AD)).reason())
        .isEqualTo(Reason.WRONG_IDENTITY);
  }

  @Test
  void unseal_inDebugBuildOfTheSameSignerAndProduct_isRejected() {
    byte[] blob = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER).seal(SECRET, AD);
    Sealer debug = sealer(identity(1, 2, 7, 3, true), SealPolicy.SIGNER);

    assertThat(unsealFailure(() -> debug.unseal(blob, AD)).reason())
        .isEqualTo(Reason.WRONG_IDENTITY);
  }

  @Test
  void unseal_underOtherPolicy_isRejected() {
    EnclaveIdentity id = identity(1, 2, 7, 3);
    byte[] blob = sealer(id, SealPolicy.SIGNER).seal(SECRET, AD);

    assertThat(unsealFailure(() -> sealer(id, SealPolicy.MEASUREMENT).unseal(blob, AD)).reason())
        .isEqualTo(Reason.WRONG_POLICY);
  }

  @Test
  void unseal_onAPlatformWithAnotherRoot_isRejectedAsTampered() {
    EnclaveIdentity id = identity(1, 2, 7, 3);
    byte[] blob = sealer(id, SealPolicy.SIGNER).seal(SECRET, AD);
    SealingKeys foreign = new TestPlatform(0x17).keysFor(id);
    opened.add(foreign);

    assertThat(unsealFailure(() -> foreign.sealer(SealPolicy.SIGNER).unseal(blob, AD)).reason())
        .isEqualTo(Reason.TAMPERED);
  }

  @Test
  void unseal_ofBlobFromHigherSvn_isRejected() {
    byte[] blob = sealer(identity(5, 2, 7, 6), SealPolicy.SIGNER).seal(SECRET, AD);
    Sealer older = sealer(identity(4, 2, 7, 5), SealPolicy.SIGNER);

    UnsealException e = unsealFailure(() -> older.unseal(blob, AD));

    assertThat(e.reason()).isEqualTo(Reason.HIGHER_SVN);
    assertThat(e).hasMessageContaining("SVN 6").hasMessageContaining("SVN 5");
  }

  @Test
  void unseal_ofBlobFromLowerSvn_inNewerSignedVersion_returnsThePlaintext() throws Exception {
    byte[] blob = sealer(identity(4, 2, 7, 5), SealPolicy.SIGNER).seal(SECRET, AD);
    Sealer newer = sealer(identity(5, 2, 7, 9), SealPolicy.SIGNER);

    assertThat(newer.unseal(blob, AD)).isEqualTo(SECRET);
  }

  @Test
  void unseal_ofSameMeasurementAtLowerSvn_returnsThePlaintext_butNotTheOtherWay() throws Exception {
    byte[] atTwo = sealer(identity(4, 2, 7, 2), SealPolicy.MEASUREMENT).seal(SECRET, AD);
    Sealer atEight = sealer(identity(4, 2, 7, 8), SealPolicy.MEASUREMENT);
    byte[] atEightBlob = atEight.seal(SECRET, AD);

    assertThat(atEight.unseal(atTwo, AD)).isEqualTo(SECRET);
    assertThat(unsealFailure(() -> sealer(identity(4, 2, 7, 2), SealPolicy.MEASUREMENT)
        .unseal(atEightBlob, AD)).reason()).isEqualTo(Reason.HIGHER_SVN);
  }

  @Test
  void unseal_ofBlobsFromManyLowerSvns_returnsEachPlaintext() throws Exception {
    Sealer top = sealer(identity(4, 2, 7, 60), SealPolicy.SIGNER);
    for (int svn = 0; svn < 50; svn++) {
      byte[] plaintext = ("sealed at " + svn).getBytes(UTF_8);
      byte[] blob = sealer(identity(3, 2, 7, svn), SealPolicy.SIGNER).seal(plaintext, AD);

      assertThat(top.unseal(blob, AD)).as("svn %d", svn).isEqualTo(plaintext);
      assertThat(top.unseal(blob, AD)).as("svn %d again", svn).isEqualTo(plaintext);
    }
  }

  @Test
  void unseal_withEverySingleByteFlipped_isRejected() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);
    byte[] blob = sealer.seal(SECRET, AD);
    for (int i = 0; i < blob.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] flipped = blob.clone();
        flipped[i] ^= (byte) mask;

        UnsealException e = unsealFailure(() -> sealer.unseal(flipped, AD));

        assertThat(e.reason()).as("byte %d ^ %02x", i, mask).isEqualTo(expectedReason(i, flipped));
      }
    }
  }

  /** What a flip at {@code index} must be reported as, by the header field it hits. */
  private static Reason expectedReason(int index, byte[] flipped) {
    if (index < 4) {
      return Reason.MALFORMED;
    } else if (index == 4) {
      return Reason.UNKNOWN_VERSION;
    } else if (index == 5) {
      return flipped[5] == 1 ? Reason.WRONG_POLICY : Reason.MALFORMED;
    } else if (index < 8) {
      return ((flipped[6] & 0xFF) << 8 | (flipped[7] & 0xFF)) > 3 ? Reason.HIGHER_SVN : Reason.TAMPERED;
    } else if (index < 24) {
      return Reason.WRONG_IDENTITY;
    } else if (index < 36) {
      return Reason.TAMPERED;
    } else if (index < 40) {
      long declared = java.nio.ByteBuffer.wrap(flipped, 36, 4).getInt() & 0xFFFF_FFFFL;
      return declared > flipped.length - 56 && declared <= Integer.MAX_VALUE - 64
          ? Reason.TRUNCATED : Reason.MALFORMED;
    }
    return Reason.TAMPERED;
  }

  @Test
  void unseal_ofEveryTruncation_isRejectedAsTruncated() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT);
    byte[] blob = sealer.seal(SECRET, AD);
    for (int length = 0; length < blob.length; length++) {
      byte[] truncated = Arrays.copyOf(blob, length);

      assertThat(unsealFailure(() -> sealer.unseal(truncated, AD)).reason())
          .as("length %d", length).isEqualTo(Reason.TRUNCATED);
    }
  }

  @Test
  void unseal_withTrailingBytes_isRejectedAsMalformed() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT);
    byte[] longer = Arrays.copyOf(sealer.seal(SECRET, AD), SECRET.length + 57);

    assertThat(unsealFailure(() -> sealer.unseal(longer, AD)))
        .hasMessageContaining("after its tag")
        .extracting(UnsealException::reason).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void unseal_ofUnknownFormatVersion_isRejected() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT);
    byte[] blob = sealer.seal(SECRET, AD);
    blob[4] = 2;

    assertThat(unsealFailure(() -> sealer.unseal(blob, AD)))
        .hasMessageContaining("version 2 is unknown")
        .extracting(UnsealException::reason).isEqualTo(Reason.UNKNOWN_VERSION);
  }

  @Test
  void unseal_ofSomethingElse_isRejectedAsMalformed() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.MEASUREMENT);

    assertThat(unsealFailure(() -> sealer.unseal("{\"json\": true}".getBytes(UTF_8), AD)))
        .hasMessageContaining("magic")
        .extracting(UnsealException::reason).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void unseal_withOtherAssociatedData_isRejected() {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);
    byte[] blob = sealer.seal(SECRET, AD);

    assertThat(unsealFailure(() -> sealer.unseal(blob, "config/v2".getBytes(UTF_8))).reason())
        .isEqualTo(Reason.TAMPERED);
    assertThat(unsealFailure(() -> sealer.unseal(blob, null)).reason())
        .isEqualTo(Reason.TAMPERED);
  }

  @Test
  void sealer_afterKeysClosed_failsWithFailedPrecondition() {
    SealingKeys keys = platform.keysFor(identity(1, 2, 7, 3));
    Sealer sealer = keys.sealer(SealPolicy.SIGNER);
    byte[] blob = sealer.seal(SECRET, AD);

    keys.close();
    keys.close();

    for (ThrowingCallable call : List.<ThrowingCallable>of(
        () -> sealer.seal(SECRET, AD), () -> sealer.unseal(blob, AD),
        () -> keys.sealer(SealPolicy.SIGNER))) {
      assertThatThrownBy(call).isInstanceOfSatisfying(EnclaveException.class,
          e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
    }
  }

  @Test
  void keys_withWrongChainKeyLength_areRefused() {
    assertThatThrownBy(() -> SealingKeys.fromChainKeys(identity(1, 2, 7, 3), new byte[32], new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 16");
  }

  @Test
  void sealAndUnseal_fromManyThreads_allRoundTrip() throws Exception {
    Sealer sealer = sealer(identity(1, 2, 7, 3), SealPolicy.SIGNER);
    byte[] old = sealer(identity(1, 2, 7, 1), SealPolicy.SIGNER).seal(SECRET, AD);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            byte[] plaintext = ("thread " + thread + " item " + i).getBytes(UTF_8);
            assertThat(sealer.unseal(sealer.seal(plaintext, AD), AD)).isEqualTo(plaintext);
            assertThat(sealer.unseal(old, AD)).isEqualTo(SECRET);
          }
          return null;
        }));
      }
      for (Future<?> result : results) {
        result.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
