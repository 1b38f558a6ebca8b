package dev.cella.testing.netapp;

import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network suite's enclave application: plain {@code java.net} code, as a program that knows
 * nothing of Cella would write it. Commands (space-separated): {@code serve PORT} starts an echo
 * server on {@code 127.0.0.1:PORT} (each connection gets back what it sent, then end of stream);
 * {@code connect HOST PORT TEXT} connects, sends TEXT, ends its output and answers {@code reply
 * <what came back>} or {@code error <exception class>}; {@code resolve HOST} answers {@code
 * address <ip>} or the error; {@code halt} stops the enclave's process at once (isolated backends
 * only: on sim it would stop the host).
 */
public final class NetApp implements TrustedApplication {
  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();

  @Override
  public void initialize(EnclaveContext context, byte[] config) {}

  @Override
  public byte[] run(byte[] input) {
    String[] words = new String(input, StandardCharsets.UTF_8).split(" ", 4);
    try {
      return utf8(switch (words[0]) {
        case "serve" -> serve(Integer.parseInt(words[1]));
        case "connect" -> connect(words[1], Integer.parseInt(words[2]), words[3]);
        case "resolve" -> "address " + InetAddress.getByName(words[1]).getHostAddress();
        case "halt" -> {
          Thread.ofPlatform().start(() -> {
            sleep(100);
            Runtime.getRuntime().halt(9);
          });
          yield "halting";
        }
        default -> "unknown command";
      });
    } catch (IOException e) {
      return utf8("error " + e.getClass().getSimpleName());
    }
  }

  private String serve(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    servers.add(server);
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread.ofVirtual().start(() -> echo(socket));
        } catch (IOException e) {
          return;
        }
      }
    });
    return "serving " + port;
  }

  private static void echo(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      in.transferTo(out);
      socket.shutdownOutput();
    } catch (IOException ignored) {
      // The peer went away.
    }
  }

  private static String connect(String host, int port, String text) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(utf8(text));
      socket.shutdownOutput();
      return "reply " + new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    for (ServerSocket server : servers) {
      try {
        server.close();
      } catch (IOException ignored) {
        // Closed either way.
      }
    }
    return new byte[0];
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
