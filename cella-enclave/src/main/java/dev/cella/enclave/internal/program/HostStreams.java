package dev.cella.enclave.internal.program;

import dev.cella.protocol.FrameType;
import dev.cella.protocol.ProgramMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The program's standard streams when the enclave owns its JVM: output is sent to the host as
 * {@link FrameType#PROGRAM_OUTPUT} host calls — each array write at once (one {@code print}
 * call of the program's {@code PrintStream} is one write, so a prompt without a newline shows),
 * single bytes at a newline, a full buffer or a flush; input is read from the host with {@link
 * FrameType#PROGRAM_INPUT}. What the host answers is untrusted input, checked for shape.
 *
 * <p>Thread-safe.
 */
final class HostStreams {
  private static final int BUFFER = 8192;
  private static final int READ_CHUNK = 64 * 1024;

  private HostStreams() {}

  /** Sends a frame of {@code type} with {@code payload} to the host; returns the OK payload. */
  interface Host extends BiFunction<FrameType, byte[], byte[]> {}

  /** The program's standard output ({@code stderr} false) or error. */
  static final class Output extends OutputStream {
    private final Host host;
    private final boolean stderr;
    private final byte[] buffer = new byte[BUFFER];
    private int count;
    private boolean broken;

    Output(Host host, boolean stderr) {
      this.host = host;
      this.stderr = stderr;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      if (count == buffer.length) {
        flush();
      }
      buffer[count++] = (byte) b;
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len >= buffer.length) {
        flush();
        for (int at = off; at < off + len; at += ProgramMessages.MAX_CHUNK_BYTES) {
          send(Arrays.copyOfRange(b, at, Math.min(off + len, at + ProgramMessages.MAX_CHUNK_BYTES)));
        }
        return;
      }
      if (len > buffer.length - count) {
        flush();
      }
      System.arraycopy(b, off, buffer, count, len);
      count += len;
      flush();
    }

    @Override
    public synchronized void flush() throws IOException {
      if (count > 0) {
        byte[] chunk = Arrays.copyOf(buffer, count);
        count = 0;
        send(chunk);
      }
    }

    private void send(byte[] bytes) throws IOException {
      if (broken) {
        throw new IOException("the host no longer takes the program's output");
      }
      try {
        host.apply(FrameType.PROGRAM_OUTPUT,
            new ProgramMessages.Output(stderr, bytes).encode());
      } catch (RuntimeException e) {
        broken = true;
        throw new IOException("the host did not take the program's output: " + e.getMessage(), e);
      }
    }
  }

  /** The program's standard input, read from the host. */
  static final class Input extends InputStream {
    private final Host host;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean eof;

    Input(Host host) {
      this.host = host;
    }

    @Override
    public synchronized int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return chunk[position++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, chunk.length - position);
      System.arraycopy(chunk, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public synchronized int available() {
      return chunk.length - position;
    }

    private boolean fill() throws IOException {
      if (position < chunk.length) {
        return true;
      }
      if (eof) {
        return false;
      }
      ProgramMessages.Input answer;
      try {
        answer = ProgramMessages.Input.decode(host.apply(FrameType.PROGRAM_INPUT,
            ProgramMessages.inputRequest(READ_CHUNK)), READ_CHUNK);
      } catch (RuntimeException e) {
        throw new IOException("the host did not give the program's input: " + e.getMessage(), e);
      }
      if (answer.eof()) {
        eof = true;
        return false;
      }
      chunk = answer.bytes();
      position = 0;
      return true;
    }
  }
}
