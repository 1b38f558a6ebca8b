package ${package}.enclave;

import ${package}.Greeter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The enclave's implementation of {@link Greeter}. It runs inside the enclave: its state (here, a
 * visitor count) is out of the host's reach on an isolating backend. Calls arrive from many host
 * threads at once, so it must be thread-safe.
 */
public final class GreeterImpl implements Greeter {
  private final AtomicInteger visitors = new AtomicInteger();

  @Override
  public Greeting greet(String name) {
    return new Greeting("hello, " + name + ", from inside the enclave", visitors.incrementAndGet());
  }
}
