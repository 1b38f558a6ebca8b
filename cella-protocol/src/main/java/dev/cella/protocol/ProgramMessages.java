package dev.cella.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * The payloads of the application-mode frames: the host starts the bundle's program ({@link
 * FrameType#PROGRAM_START}), the program's standard streams cross as {@link
 * FrameType#PROGRAM_OUTPUT} and {@link FrameType#PROGRAM_INPUT} host calls, and a {@code
 * System.exit} inside is reported by {@link FrameType#PROGRAM_EXIT} before the enclave's JVM
 * halts. Every field is decoded with a bound; nothing here trusts the other side.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProgramMessages {
  /** The longest string carried (an argument, a path, a variable, a hint). */
  public static final int MAX_TEXT_BYTES = 4 * 32768;
  /** The most arguments, variables or mounts carried. */
  public static final int MAX_ITEMS = 4096;
  /** The most bytes one output or input chunk carries. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;

  private ProgramMessages() {}

  /** A file grant as the program sees it; {@code mode} is the manifest's id, e.g. {@code sealed}. */
  public record Mount(String hostPath, String enclavePath, String mode) {
    public Mount {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(enclavePath, "enclavePath");
      Objects.requireNonNull(mode, "mode");
    }
  }

  /**
   * {@link FrameType#PROGRAM_START}: the program to run, as the manifest names it, and the full
   * argument list (the manifest's leading arguments, then the host's).
   *
   * @param workingDirectory empty for the backend's default
   */
  public record Start(String mainClass, List<String> args, SequencedMap<String, String> env,
      String workingDirectory, List<Mount> mounts) {
    public Start {
      Objects.requireNonNull(mainClass, "mainClass");
      args = List.copyOf(args);
      env = new LinkedHashMap<>(env);
      Objects.requireNonNull(workingDirectory, "workingDirectory");
      mounts = List.copyOf(mounts);
    }

    public byte[] encode() {
      WireWriter out = new WireWriter(256).string(mainClass).u32(args.size());
      args.forEach(out::string);
      out.u32(env.size());
      env.forEach((k, v) -> out.string(k).string(v));
      out.string(workingDirectory).u32(mounts.size());
      for (Mount m : mounts) {
        out.string(m.hostPath()).string(m.enclavePath()).string(m.mode());
      }
      return out.toByteArray();
    }

    public static Start decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      String main = in.string(MAX_TEXT_BYTES, "main class");
      List<String> args = new ArrayList<>();
      for (int i = 0, n = count(in, "argument count"); i < n; i++) {
        args.add(in.string(MAX_TEXT_BYTES, "argument"));
      }
      SequencedMap<String, String> env = new LinkedHashMap<>();
      for (int i = 0, n = count(in, "variable count"); i < n; i++) {
        String name = in.string(MAX_TEXT_BYTES, "variable name");
        if (env.put(name, in.string(MAX_TEXT_BYTES, "variable value")) != null) {
          throw new ProtocolException("program start: variable " + name + " twice");
        }
      }
      String dir = in.string(MAX_TEXT_BYTES, "working directory");
      List<Mount> mounts = new ArrayList<>();
      for (int i = 0, n = count(in, "mount count"); i < n; i++) {
        mounts.add(new Mount(in.string(MAX_TEXT_BYTES, "host path"),
            in.string(MAX_TEXT_BYTES, "enclave path"), in.string(32, "mode")));
      }
      in.expectEnd("program start");
      return new Start(main, args, env, dir, mounts);
    }

    /** The same start with the environment as a plain map, for comparisons. */
    public Map<String, String> envMap() {
      return Map.copyOf(env);
    }
  }

  /** How a program ended without {@code System.exit}. */
  public enum Ending {
    /** {@code main} returned and every other non-daemon thread ended: status 0. */
    RETURNED,
    /** {@code main} threw: the trace went to standard error, status 1. */
    UNCAUGHT
  }

  /**
   * The answer to {@link FrameType#PROGRAM_START} (the program ended without exiting the JVM),
   * and the payload of {@link FrameType#PROGRAM_EXIT} (with {@code ending} null: it called {@code
   * System.exit}).
   *
   * @param hint one line naming a file the program was refused that no grant covers, or empty
   */
  public record End(Ending endingOrNull, int status, String hint) {
    public End {
      Objects.requireNonNull(hint, "hint");
    }

    public byte[] encode() {
      return new WireWriter(16 + hint.length() * 3)
          .u8(endingOrNull == null ? 0 : endingOrNull.ordinal() + 1).u32(status).string(hint)
          .toByteArray();
    }

    public static End decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      int kind = in.u8("ending");
      if (kind > Ending.values().length) {
        throw new ProtocolException("program end: unknown ending " + kind);
      }
      End end = new End(kind == 0 ? null : Ending.values()[kind - 1], in.u32("status"),
          in.string(MAX_TEXT_BYTES, "hint"));
      in.expectEnd("program end");
      return end;
    }
  }

  /** {@link FrameType#PROGRAM_OUTPUT}: bytes the program wrote to standard output or error. */
  public record Output(boolean toStderr, byte[] bytes) {
    public byte[] encode() {
      return new WireWriter(8 + bytes.length).u8(toStderr ? 2 : 1).bytes(bytes).toByteArray();
    }

    public static Output decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      int stream = in.u8("stream");
      if (stream != 1 && stream != 2) {
        throw new ProtocolException("program output: unknown stream " + stream);
      }
      Output out = new Output(stream == 2, in.bytes(MAX_CHUNK_BYTES, "output"));
      in.expectEnd("program output");
      return out;
    }
  }

  /** {@link FrameType#PROGRAM_INPUT}: read up to {@code max} bytes of standard input. */
  public static byte[] inputRequest(int max) {
    return new WireWriter(4).u32(max).toByteArray();
  }

  /** The bound of an input request, 1 to {@link #MAX_CHUNK_BYTES}. */
  public static int decodeInputRequest(byte[] payload) {
    WireReader in = new WireReader(payload);
    int max = in.u32("input bound");
    in.expectEnd("program input");
    if (max < 1 || max > MAX_CHUNK_BYTES) {
      throw new ProtocolException("program input: bound " + max + " outside 1 to " + MAX_CHUNK_BYTES);
    }
    return max;
  }

  /** The answer to an input request: bytes read, or the end of input (empty, {@code eof}). */
  public record Input(boolean eof, byte[] bytes) {
    public byte[] encode() {
      return new WireWriter(8 + bytes.length).u8(eof ? 1 : 0).bytes(bytes).toByteArray();
    }

    public static Input decode(byte[] payload, int max) {
      WireReader in = new WireReader(payload);
      Input input = new Input(in.bool("end of input"), in.bytes(max, "input"));
      in.expectEnd("program input answer");
      if (input.eof() == (input.bytes().length > 0)) {
        throw new ProtocolException("program input answer: either bytes or the end of input");
      }
      return input;
    }
  }

  private static int count(WireReader in, String what) {
    int n = in.u32(what);
    if (n < 0 || n > MAX_ITEMS || n > in.remaining()) {
      throw new ProtocolException("program start: " + what + " " + n + " is impossible");
    }
    return n;
  }
}
