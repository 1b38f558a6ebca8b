package dev.cella.protocol.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Two endpoints of one shared channel inside this JVM, with a socket and pipes for doorbells. */
final class ChannelPair implements AutoCloseable {
  final SharedChannel host;
  final SharedChannel enclave;
  final Doorbell hostBell;
  final Doorbell enclaveBell;
  Endpoint hostEnd;
  Endpoint enclaveEnd;

  /** With a socket for the rings to the host (as the process backend has), else pipes only. */
  ChannelPair(Path folder, int capacity, boolean socketToHost) throws IOException {
    Path file = folder.resolve("channel");
    host = SharedChannel.create(file, capacity);
    enclave = SharedChannel.open(file);
    Pipe toEnclave = Pipe.open();
    if (socketToHost) {
      Path path = folder.resolve("bell");
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(path));
        SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
        SocketChannel accepted = server.accept();
        hostBell = Doorbell.of(accepted, Channels.newOutputStream(toEnclave.sink()));
        enclaveBell = Doorbell.of(Channels.newInputStream(toEnclave.source()), client);
      }
    } else {
      Pipe toHost = Pipe.open();
      hostBell = Doorbell.of(Channels.newInputStream(toHost.source()),
          Channels.newOutputStream(toEnclave.sink()));
      enclaveBell = Doorbell.of(Channels.newInputStream(toEnclave.source()),
          Channels.newOutputStream(toHost.sink()));
    }
  }

  ChannelPair(Path folder, int capacity) throws IOException {
    this(folder, capacity, true);
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage) {
    return start(onHost, onEnclave, maxMessage, java.time.Duration.ofNanos(50_000));
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage,
      java.time.Duration spin) {
    hostEnd = Endpoint.builder(host.hostRings(), hostBell, onHost).name("host")
        .maxMessageBytes(maxMessage).spin(spin).build();
    enclaveEnd = Endpoint.builder(enclave.enclaveRings(), enclaveBell, onEnclave).name("enclave")
        .inlineServer(true).maxMessageBytes(maxMessage).spin(spin).build();
    hostEnd.start();
    enclaveEnd.start();
    return this;
  }

  @Override
  public void close() {
    if (hostEnd != null) {
      hostEnd.close();
      enclaveEnd.close();
    }
    hostBell.close();
    enclaveBell.close();
    host.close();
    enclave.close();
  }
}
