package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.bundle.NetworkGrant;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.netapp.NetApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A TCP echo through the stream relay of a {@code process} enclave (a plain {@code ServerSocket}
 * echo server inside, reached at {@code enclave.listenAddress}), against the same echo over plain
 * loopback in the host's JVM, measured in the same run: {@code size} bytes written and read back
 * on one connection kept open (1 byte: the round trip; 1 MiB: the throughput).
 *
 * <p>Run: {@code cella-bench/run StreamRelayBenchmark} (needs bubblewrap).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamRelayBenchmark {
  private static final int PORT = 7000;

  /** One connection to an echo server, through the relay or over plain loopback. */
  @State(Scope.Benchmark)
  public static class Echo {
    @Param({"1", "1048576"})
    int size;
    Path folder;
    EnclaveManager manager;
    ServerSocket local;
    Socket relayed;
    Socket direct;
    byte[] data;
    byte[] back;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path bundle = TestBundles.builder("relay", NetApp.class)
          .network(new NetworkGrant.Listen(PORT)).build(folder);
      manager = EnclaveManager.create();
      Enclave enclave = manager.load("relay", bundle, EnclaveOptions.builder().backend("process")
          .listenAddress(PORT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
      enclave.run(("serve " + PORT).getBytes(StandardCharsets.UTF_8));
      relayed = open(enclave.listenAddress(PORT));
      local = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().start(this::serveLocally);
      direct = open((InetSocketAddress) local.getLocalSocketAddress());
      data = new byte[size];
      back = new byte[size];
    }

    private void serveLocally() {
      try (Socket socket = local.accept()) {
        socket.setTcpNoDelay(true);
        socket.getInputStream().transferTo(socket.getOutputStream());
      } catch (IOException ignored) {
        // The benchmark is over.
      }
    }

    private static Socket open(InetSocketAddress address) throws IOException {
      Socket socket = new Socket();
      socket.connect(address, 5_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      return socket;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      relayed.close();
      direct.close();
      local.close();
      manager.close();
      try (var paths = Files.walk(folder)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Benchmark
  public byte[] relayedEcho(Echo echo) throws Exception {
    return roundTrip(echo.relayed, echo.data, echo.back);
  }

  @Benchmark
  public byte[] loopbackEcho(Echo echo) throws Exception {
    return roundTrip(echo.direct, echo.data, echo.back);
  }

  /** Writes {@code data} from another thread when large (the echo must be read meanwhile). */
  private static byte[] roundTrip(Socket socket, byte[] data, byte[] back) throws Exception {
    OutputStream out = socket.getOutputStream();
    Thread writer = null;
    if (data.length > 65536) {
      writer = Thread.ofVirtual().start(() -> {
        try {
          out.write(data);
        } catch (IOException ignored) {
          // The read below fails too.
        }
      });
    } else {
      out.write(data);
    }
    InputStream in = socket.getInputStream();
    int read = 0;
    while (read < back.length) {
      int n = in.read(back, read, back.length - read);
      if (n < 0) {
        throw new IOException("the echo ended early");
      }
      read += n;
    }
    if (writer != null) {
      writer.join();
    }
    return back;
  }
}
