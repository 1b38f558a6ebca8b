package dev.cella.protocol.transport;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;

/** Two endpoints of one shared channel inside this JVM, with pipes for doorbells. */
final class ChannelPair implements AutoCloseable {
  final SharedChannel host;
  final SharedChannel enclave;
  final Doorbell hostBell;
  final Doorbell enclaveBell;
  Endpoint hostEnd;
  Endpoint enclaveEnd;

  ChannelPair(Path folder, int capacity) throws IOException {
    Path file = folder.resolve("channel");
    host = SharedChannel.create(file, capacity);
    enclave = SharedChannel.open(file);
    Pipe toEnclave = Pipe.open();
    Pipe toHost = Pipe.open();
    hostBell = new Doorbell(Channels.newInputStream(toHost.source()),
        Channels.newOutputStream(toEnclave.sink()));
    enclaveBell = new Doorbell(Channels.newInputStream(toEnclave.source()),
        Channels.newOutputStream(toHost.sink()));
  }

  ChannelPair start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int maxMessage) {
    hostEnd = Endpoint.builder(host.hostRings(), hostBell, onHost).name("host")
        .maxMessageBytes(maxMessage).build();
    enclaveEnd = Endpoint.builder(enclave.enclaveRings(), enclaveBell, onEnclave).name("enclave")
        .inlineServer(true).maxMessageBytes(maxMessage).build();
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
