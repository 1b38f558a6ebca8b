package dev.cella.protocol.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Two endpoints of one shared channel inside this JVM, with sockets and pipes for doorbells. */
final class ChannelPair implements AutoCloseable {
  /** How the doorbells are wired. */
  enum Bells {
    /** As the process backend: a socket for the host's callers, pipes for the doorbell threads. */
    CALLER_BELL,
    /** One socket to the host that its callers and its doorbell thread all wait on. */
    ONE_SOCKET,
    /** Pipes only: only the doorbell threads wait on them. */
    PIPES
  }

  final SharedChannel host;
  final SharedChannel enclave;
  final Doorbell hostBell;
  final Doorbell enclaveBell;
  Endpoint hostEnd;
  Endpoint enclaveEnd;
  private boolean closed;

  /** Made by {@link ChannelPairs}, which closes it after the test. */
  ChannelPair(Path folder, int capacity, Bells bells) throws IOException {
    Path file = folder.resolve("channel");
    host = SharedChannel.create(file, capacity);
    enclave = SharedChannel.open(file);
    Pipe toEnclave = Pipe.open();
    if (bells != Bells.PIPES) {
      Path path = folder.resolve("bell");
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(path));
        SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
        SocketChannel accepted = server.accept();
        if (bells == Bells.ONE_SOCKET) {
          hostBell = Doorbell.of(accepted, Channels.newOutputStream(toEnclave.sink()));
          enclaveBell = Doorbell.of(Channels.newInputStream(toEnclave.source()), client);
        } else {
          Pipe toHostServer = Pipe.open();
          hostBell = Doorbell.withCallerBell(accepted,
              Channels.newInputStream(toHostServer.source()),
              Channels.newOutputStream(toEnclave.sink()));
          enclaveBell = Doorbell.toCallerBell(Channels.newInputStream(toEnclave.source()), client,
              Channels.newOutputStream(toHostServer.sink()));
        }
      }
    } else {
      Pipe toHost = Pipe.open();
      hostBell = Doorbell.of(Channels.newInputStream(toHost.source()),
          Channels.newOutputStream(toEnclave.sink()));
      enclaveBell = Doorbell.of(Channels.newInputStream(toEnclave.source()),
          Channels.newOutputStream(toHost.sink()));
    }
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage) {
    return start(onHost, onEnclave, maxMessage, java.time.Duration.ofNanos(50_000));
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage,
      java.time.Duration spin) {
    return start(onHost, onEnclave, maxMessage, spin, b -> b);
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage,
      java.time.Duration spin, java.util.function.UnaryOperator<Endpoint.Builder> hostOptions) {
    hostEnd = hostOptions.apply(Endpoint.builder(host.hostRings(), hostBell, onHost).name("host")
        .maxMessageBytes(maxMessage).spin(spin)).build();
    enclaveEnd = Endpoint.builder(enclave.enclaveRings(), enclaveBell, onEnclave).name("enclave")
        .inlineServer(true).maxMessageBytes(maxMessage).spin(spin).build();
    hostEnd.start();
    enclaveEnd.start();
    return this;
  }

  /**
   * Starts only the enclave's end, an inline server; the test plays the host on the host's rings
   * itself ({@code host.hostRings()}), and {@code hostEnd} exists only to be closed.
   */
  ChannelPair startEnclaveOnly(Endpoint.Handler onEnclave,
      java.util.function.UnaryOperator<Endpoint.Builder> enclaveOptions) {
    enclaveEnd = enclaveOptions.apply(Endpoint.builder(enclave.enclaveRings(), enclaveBell,
        onEnclave).name("enclave").inlineServer(true)).build();
    hostEnd = Endpoint.builder(host.hostRings(), hostBell, f -> f).name("unused").build();
    enclaveEnd.start();
    return this;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
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
