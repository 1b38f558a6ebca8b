package dev.cella.apptests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.ProgramExit;
import dev.cella.ProgramIo;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.NetworkGrant;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 database <em>server</em> (com.h2database:h2, unmodified, {@code org.h2.tools.Server})
 * inside the process backend, its data directory on a sealed mount and its TCP port a listen
 * grant: a host JDBC client reaches it through the host's relay, creates a table and inserts
 * rows; the server is shut down, a second enclave of the same bundle serves the rows back, and
 * the host's files hold none of their plaintext.
 */
class H2ServerTest {
  private static final String SECRET = "carol-ssn-219-09-9999";
  private static final String PASSWORD = "shutdown-pw";

  @TempDir Path dir;

  @BeforeEach
  void available() {
    BackendInfo info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "process backend: " + info.unavailabilityCause().orElse(""));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path bundle(Path data, int port) throws Exception {
    ApplicationSpec app = new ApplicationSpec("org.h2.tools.Server",
        List.of("-tcp", "-tcpPort", Integer.toString(port), "-tcpPassword", PASSWORD,
            "-ifNotExists", "-baseDir", "/data"),
        new LinkedHashMap<>(), Optional.empty());
    Manifest manifest = Manifest.builder().name("h2-server").application(app)
        .hostAccess(new HostAccess(List.of(new FileGrant(data.toString(), "/data",
            FileGrant.Mode.SEALED)), List.of(new NetworkGrant.Listen(port)))).build();
    BundleBuilder bundle = BundleBuilder.create(manifest);
    Path jar = AppBundles.jarOf(org.h2.tools.Server.class);
    bundle.addLibrary(jar.getFileName().toString(), Files.readAllBytes(jar));
    TestBundles.runtimeJars().forEach(bundle::addLibrary);
    Path file = dir.resolve("h2-server.cella");
    bundle.writeSigned(TestBundles.sharedKey(), file);
    return file;
  }

  /** Runs the server in an enclave, gives {@code client} a connection, then shuts it down. */
  private ProgramExit serve(Path home, Path bundle, int port, SqlWork client) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgramIo io = new ProgramIo(new ByteArrayInputStream(new byte[0]),
        new ByteArrayOutputStream(), err);
    EnclaveOptions options = EnclaveOptions.builder().backend("process").programIo(io).build();
    try (EnclaveManager manager = EnclaveManager.create(List.of(new ProcessBackend()), home);
         Enclave enclave = manager.load("h2", bundle, options)) {
      assertThat(enclave.listenAddress(port).getPort()).isEqualTo(port);
      CompletableFuture<ProgramExit> program =
          CompletableFuture.supplyAsync(() -> enclave.runProgram(List.of()));
      String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/db";
      try (Connection connection = connectWithin(url, 60_000, program)) {
        client.run(connection);
      }
      org.h2.tools.Server.shutdownTcpServer("tcp://127.0.0.1:" + port, PASSWORD, true, false);
      ProgramExit exit = program.get(60, TimeUnit.SECONDS);
      assertThat(exit.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
      return exit;
    }
  }

  /** The server starts after the enclave: connections are refused until it listens. */
  private static Connection connectWithin(String url, long millis,
      CompletableFuture<ProgramExit> program) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    SQLException last = null;
    for (int attempt = 0; attempt < 600 && System.nanoTime() < deadline; attempt++) {
      if (program.isDone()) {
        throw new AssertionError("the server ended before accepting: " + program.join());
      }
      try {
        return DriverManager.getConnection(url, "sa", "");
      } catch (SQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no connection to " + url + " in " + millis + " ms", last);
  }

  @FunctionalInterface
  private interface SqlWork {
    void run(Connection connection) throws SQLException;
  }

  @Test
  void serverOnASealedMount_servesThroughTheRelay_andTheRowsSurviveARestart() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    int port = freePort();
    Path bundle = bundle(data, port);
    Path home = dir.resolve("home");

    serve(home, bundle, port, c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE people(id INT PRIMARY KEY, secret VARCHAR(64))");
        s.execute("INSERT INTO people VALUES (1, '" + SECRET + "'), (2, 'dave-ssn')");
      }
    });

    List<String> rows = new ArrayList<>();
    serve(home, bundle, port, c -> {
      try (Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT id, secret FROM people ORDER BY id")) {
        while (r.next()) {
          rows.add(r.getInt(1) + ":" + r.getString(2));
        }
      }
    });
    assertThat(rows).containsExactly("1:" + SECRET, "2:dave-ssn");

    List<Path> hostFiles;
    try (Stream<Path> files = Files.walk(data)) {
      hostFiles = files.filter(Files::isRegularFile).toList();
    }
    assertThat(hostFiles).isNotEmpty();
    for (Path file : hostFiles) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(file.toString()).doesNotContain(SECRET).doesNotContain("dave-ssn")
          .doesNotContain("PEOPLE");
    }
  }
}
