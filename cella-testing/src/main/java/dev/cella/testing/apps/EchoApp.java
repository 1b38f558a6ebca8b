package dev.cella.testing.apps;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The conformance suite's enclave application. Its input is a command, {@code VERB[:ARGUMENT]}:
 * {@code echo:X} returns X; {@code count} returns how many runs it has seen; {@code active} how many other runs are in
 * progress; {@code config}
 * returns the configuration it was initialized with; {@code fail:CODE:MESSAGE} throws an
 * EnclaveException; {@code crash:MESSAGE} throws an IllegalStateException whose message must
 * never reach the host; {@code null} returns null; {@code big:N} returns N bytes; {@code
 * loader} names its class loader; {@code load:CLASS} says whether CLASS is visible inside; {@code
 * sleep:MILLIS} sleeps. Its finish returns {@code finished:<runs>:<final input>}, or {@code
 * finished-during-calls:<active>} if runs are still in progress (the host must not let that happen).
 */
public final class EchoApp implements TrustedApplication {
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong active = new AtomicLong();
  private volatile byte[] config;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    if (new String(config, StandardCharsets.UTF_8).equals("refuse")) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "configuration refused");
    }
    this.config = config;
  }

  @Override
  public byte[] run(byte[] input) {
    active.incrementAndGet();
    try {
      return dispatch(input);
    } finally {
      active.decrementAndGet();
    }
  }

  private byte[] dispatch(byte[] input) {
    long count = runs.incrementAndGet();
    String command = new String(input, StandardCharsets.UTF_8);
    int colon = command.indexOf(':');
    String verb = colon < 0 ? command : command.substring(0, colon);
    String argument = colon < 0 ? "" : command.substring(colon + 1);
    return switch (verb) {
      case "echo" -> utf8(argument);
      case "count" -> utf8(Long.toString(count));
      case "active" -> utf8(Long.toString(active.get() - 1));
      case "config" -> config.clone();
      case "fail" -> {
        int second = argument.indexOf(':');
        throw new EnclaveException(Code.valueOf(argument.substring(0, second)),
            argument.substring(second + 1));
      }
      case "crash" -> throw new IllegalStateException(argument);
      case "null" -> null;
      case "big" -> new byte[Integer.parseInt(argument)];
      case "loader" -> utf8(EchoApp.class.getClassLoader().getName());
      case "load" -> utf8(canLoad(argument) ? "visible" : "invisible");
      case "sleep" -> {
        try {
          Thread.sleep(Long.parseLong(argument));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        yield utf8("slept");
      }
      default -> input;
    };
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    long inProgress = active.get();
    if (inProgress > 0) {
      return utf8("finished-during-calls:" + inProgress);
    }
    return utf8("finished:" + runs.get() + ":" + new String(finalInput, StandardCharsets.UTF_8));
  }

  private static boolean canLoad(String className) {
    try {
      Class.forName(className, false, EchoApp.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
