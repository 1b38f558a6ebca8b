package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveService;
import dev.cella.EnclaveStatus.Code;
import dev.cella.HostService;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The application {@link EnclaveRuntimeFuzzTest} starts: a {@link TrustedApplication} and an
 * enclave service whose calls reach every way out of the enclave (evidence, a host service) and
 * every way a call fails, chosen by the first byte of the input.
 *
 * <p>Thread-safe (stateless but for the context).
 */
public final class FuzzEnclave {
  private FuzzEnclave() {}

  /** The entry class. */
  public static final class App implements TrustedApplication {
    private volatile EnclaveContext context;

    @Override
    public void initialize(EnclaveContext context, byte[] config) {
      this.context = context;
    }

    @Override
    public byte[] run(byte[] input) {
      if (input.length == 0) {
        return input;
      }
      byte[] rest = Arrays.copyOfRange(input, 1, input.length);
      return switch (input[0]) {
        case 1 -> context.evidence(Arrays.copyOf(rest, Math.min(rest.length, 64)), new byte[0]);
        case 2 -> context.host(Host.class).lookup(new String(rest, java.nio.charset.StandardCharsets.UTF_8))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        case 3 -> throw new IllegalStateException("the application failed");
        case 4 -> throw new EnclaveException(Code.ABORTED, "the application refused");
        case 5 -> null;
        case 6 -> new byte[context.limits().maxFrameBytes()]; // over the limit by its header
        default -> rest;
      };
    }

    @Override
    public byte[] finish(byte[] finalInput) {
      return finalInput;
    }
  }

  /** A typed service of the enclave. */
  @EnclaveService
  public interface Service {
    String greet(String name);

    List<Integer> sums(List<Integer> values, Optional<Integer> offset);

    String askHost(String key);

    void fail(int how) throws java.io.IOException;
  }

  /** The service's implementation; constructed with the enclave's context. */
  public static final class ServiceImpl implements Service {
    private final EnclaveContext context;

    public ServiceImpl(EnclaveContext context) {
      this.context = context;
    }

    @Override
    public String greet(String name) {
      return "hello " + name;
    }

    @Override
    public List<Integer> sums(List<Integer> values, Optional<Integer> offset) {
      int base = offset.orElse(0);
      return values.stream().map(v -> v + base).toList();
    }

    @Override
    public String askHost(String key) {
      return context.host(Host.class).lookup(key);
    }

    @Override
    public void fail(int how) throws java.io.IOException {
      switch (how) {
        case 0 -> throw new java.io.IOException("declared");
        case 1 -> throw new EnclaveException(Code.NOT_FOUND, "not found");
        default -> throw new ArithmeticException("undeclared");
      }
    }
  }

  /** A service the host provides (or, under fuzzing, pretends to). */
  @HostService
  public interface Host {
    String lookup(String key);
  }
}
