package dev.cella.protocol;

/**
 * The kinds of frame that cross the boundary. A frame is {@code [version u8][type u8][payload]};
 * its length is carried by the transport. Codes are stable: never renumber, only add.
 */
public enum FrameType {
  // host -> enclave requests
  /** Start the application: {@link InitMessage}. */
  INITIALIZE(0x01),
  /** Bytes call: the payload is the input. */
  RUN(0x02),
  /** Finalization: the payload is the final input. */
  FINISH(0x03),
  /** Typed call into an enclave service: {@link Invocation}. */
  INVOKE(0x04),
  /** Does the enclave provide a service with this name and fingerprint: {@link ServiceBinding}. */
  BIND_SERVICE(0x05),

  // either direction: the response to a request
  /** Success; the payload is the result. */
  OK(0x10),
  /** Failure: a status code and a message, see {@link Frames#error} and {@link Frames#failure}. */
  ERROR(0x11),

  // enclave -> host requests, sent while a host request is in flight or from enclave threads
  /** Typed call into a host service: {@link Invocation}. */
  HOST_INVOKE(0x20),
  /** Ask the platform for evidence: {@link EvidenceRequest}. */
  PLATFORM_EVIDENCE(0x21),
  /** Untrusted storage and counter operations of sealed storage. */
  PLATFORM_STORAGE(0x22),
  /** Does the host provide a service with this name and fingerprint: {@link ServiceBinding}. */
  HOST_BIND(0x23);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The type's byte on the wire. */
  public int code() {
    return code;
  }

  /** The type with the given wire byte, or null for an unknown one. */
  static FrameType forCodeOrNull(int code) {
    return BY_CODE[code & 0xFF];
  }
}
