package dev.cella.backend.process.hostcalls;

import dev.cella.EnclaveException;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes host calls from its own threads, which are nested in no call of the host. {@code hold}
 * starts a thread that calls {@link Holder#hold} and returns at once; {@code probe} then calls
 * {@link Holder#ping} (up to 10 s) until one is refused and answers with the refusal's code and
 * message, or {@code never refused}; {@code join} waits for the held call and returns its
 * answer; {@code ping} calls {@link Holder#ping} once.
 */
public final class HostCallsApp implements TrustedApplication {
  private EnclaveContext context;
  private volatile CompletableFuture<String> held;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    this.context = context;
  }

  @Override
  public byte[] run(byte[] input) {
    Holder host = context.host(Holder.class);
    String answer = switch (new String(input, StandardCharsets.UTF_8)) {
      case "hold" -> {
        CompletableFuture<String> future = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
          try {
            future.complete(host.hold());
          } catch (RuntimeException e) {
            future.complete("failed: " + e.getMessage());
          }
        });
        held = future;
        yield "holding";
      }
      case "probe" -> probe(host);
      case "join" -> held.orTimeout(20, TimeUnit.SECONDS).join();
      case "ping" -> onOwnThread(host);
      default -> "unknown command";
    };
    return answer.getBytes(StandardCharsets.UTF_8);
  }

  private static String probe(Holder host) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<String> ping = new CompletableFuture<>();
      Thread.ofPlatform().start(() -> {
        try {
          host.ping();
          ping.complete(null);
        } catch (EnclaveException e) {
          ping.complete(e.code() + ": " + e.getMessage());
        }
      });
      String refusal = ping.orTimeout(10, TimeUnit.SECONDS).join();
      if (refusal != null) {
        return refusal;
      }
    }
    return "never refused";
  }

  /** A ping nested in no call of the host, as the held one. */
  private static String onOwnThread(Holder host) {
    CompletableFuture<String> ping = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        ping.complete(host.ping());
      } catch (RuntimeException e) {
        ping.complete("failed: " + e.getMessage());
      }
    });
    return ping.orTimeout(10, TimeUnit.SECONDS).join();
  }
}
