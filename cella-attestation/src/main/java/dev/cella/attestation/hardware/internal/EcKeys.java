package dev.cella.attestation.hardware.internal;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Optional;

/** Raw elliptic-curve public keys (x || y, big-endian) as JCA keys. Stateless and thread-safe. */
public final class EcKeys {
  private EcKeys() {}

  /** The P-256 key {@code x || y} (64 bytes), or empty if it is not a point on the curve. */
  public static Optional<PublicKey> p256(byte[] xy) {
    if (xy.length != 64) {
      return Optional.empty();
    }
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
      if (!onCurve(spec.getCurve(), x, y)) {
        return Optional.empty();
      }
      return Optional.of(KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec)));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
    BigInteger p = ((ECFieldFp) curve.getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger rhs = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return y.modPow(BigInteger.TWO, p).equals(rhs);
  }

  /** Converts {@code r || s} given little-endian (AMD's layout) to big-endian P1363. */
  public static byte[] littleEndianToP1363(byte[] r, byte[] s, int size) {
    byte[] out = new byte[2 * size];
    for (int i = 0; i < size; i++) {
      out[size - 1 - i] = r[i];
      out[2 * size - 1 - i] = s[i];
    }
    return out;
  }
}
