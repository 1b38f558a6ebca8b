package dev.cella.protocol.codec.internal;

/** The constants of the codec's wire format; see {@code docs/codec-format.md}. */
public final class Wire {
  private Wire() {}

  /** The first byte of every message. */
  public static final int VERSION = 1;

  /** Outcome tag: the call returned; the result follows. */
  public static final int OUTCOME_RESULT = 0;
  /** Outcome tag: the call threw one of its declared checked exceptions. */
  public static final int OUTCOME_DECLARED = 1;
  /** Outcome tag: the call threw an {@code EnclaveException}. */
  public static final int OUTCOME_ENCLAVE = 2;
  /** Outcome tag: the call threw anything else; only the class name crosses. */
  public static final int OUTCOME_INTERNAL = 3;
}
