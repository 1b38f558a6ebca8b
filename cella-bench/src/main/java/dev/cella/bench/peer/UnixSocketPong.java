package dev.cella.bench.peer;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The far end of the Unix-domain-socket ping-pong: connects to the socket it is given and echoes
 * every byte with a blocking JDK {@link SocketChannel}, until the host closes the connection.
 */
public final class UnixSocketPong {
  private UnixSocketPong() {}

  public static void main(String[] args) throws Exception {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
      ByteBuffer buffer = ByteBuffer.allocateDirect(1);
      while (true) {
        buffer.clear();
        if (channel.read(buffer) < 0) {
          return;
        }
        buffer.flip();
        channel.write(buffer);
      }
    }
  }
}
