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
  /** Bytes for one of the enclave's channels, from its peer: {@link ChannelMessages.Data}. */
  CHANNEL_DELIVER(0x06),
  /** One of the enclave's channels is closed by the host or the peer: {@link ChannelMessages.Close}. */
  CHANNEL_CLOSED(0x07),
  /** A TCP connection reached one of the enclave's listen grants: {@link StreamMessages.Open}. */
  STREAM_OPEN(0x08),
  /** Bytes of a relayed TCP stream, from the host's socket: {@link StreamMessages.Data}. */
  STREAM_DATA(0x09),
  /** The host's side of a relayed stream ended or broke: {@link StreamMessages.Close}. */
  STREAM_CLOSE(0x0A),
  /**
   * Run the application bundle's {@code main}: {@link ProgramMessages.Start}; answered when the
   * program ends without {@code System.exit}: {@link ProgramMessages.End}.
   */
  PROGRAM_START(0x0B),

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
  HOST_BIND(0x23),
  /** Open a channel to the enclave of that name: {@link ChannelMessages.Connect}; OK carries the id. */
  CHANNEL_CONNECT(0x24),
  /** Wait for a channel from another enclave: {@link ChannelMessages.Accept}; OK: {@link ChannelMessages.Accepted}. */
  CHANNEL_ACCEPT(0x25),
  /** Relay opaque bytes to the channel's peer: {@link ChannelMessages.Data}. */
  CHANNEL_SEND(0x26),
  /** Close one of the enclave's channels: {@link ChannelMessages.Close}. */
  CHANNEL_CLOSE(0x27),
  /** Open a relayed TCP stream to a granted host:port: {@link StreamMessages.Connect}; OK carries the id. */
  STREAM_CONNECT(0x28),
  /** Bytes of a relayed TCP stream, for the host's socket: {@link StreamMessages.Data}. */
  STREAM_SEND(0x29),
  /** The enclave's side of a relayed stream ended or broke: {@link StreamMessages.Close}. */
  STREAM_END(0x2A),
  /** Bytes of the program's standard output or error: {@link ProgramMessages.Output}. */
  PROGRAM_OUTPUT(0x2B),
  /** Read the program's standard input: {@link ProgramMessages#inputRequest}; OK: {@link ProgramMessages.Input}. */
  PROGRAM_INPUT(0x2C),
  /** The program called {@code System.exit}; the JVM halts after the answer: {@link ProgramMessages.End}. */
  PROGRAM_EXIT(0x2D);

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
