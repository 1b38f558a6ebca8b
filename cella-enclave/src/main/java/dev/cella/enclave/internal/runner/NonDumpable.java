package dev.cella.enclave.internal.runner;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Makes this process non-dumpable with {@code prctl(PR_SET_DUMPABLE, 0)} through the FFM API:
 * another process of the same user can then neither ptrace it nor read its memory through {@code
 * /proc/PID/mem}, and it writes no core dump. The runner does this before it reads any secret.
 *
 * <p>Thread-safe; stateless.
 */
final class NonDumpable {
  private static final int PR_GET_DUMPABLE = 3;
  private static final int PR_SET_DUMPABLE = 4;

  private NonDumpable() {}

  /**
   * Clears the dumpable flag and checks that it is clear.
   *
   * @throws IllegalStateException when the flag cannot be cleared
   */
  static void enable() {
    MethodHandle prctl = prctl();
    try {
      int set = (int) prctl.invokeExact(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L);
      if (set != 0) {
        throw new IllegalStateException("prctl(PR_SET_DUMPABLE, 0) returned " + set);
      }
      if (isDumpable(prctl)) {
        throw new IllegalStateException("the process is still dumpable after prctl");
      }
    } catch (IllegalStateException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("prctl failed: " + t, t);
    }
  }

  /** Whether the process is dumpable now. */
  static boolean isDumpable() {
    try {
      return isDumpable(prctl());
    } catch (Throwable t) {
      throw new IllegalStateException("prctl failed: " + t, t);
    }
  }

  private static boolean isDumpable(MethodHandle prctl) throws Throwable {
    return (int) prctl.invokeExact(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L) != 0;
  }

  private static MethodHandle prctl() {
    Linker linker = Linker.nativeLinker();
    MemorySegment symbol = linker.defaultLookup().find("prctl")
        .orElseThrow(() -> new IllegalStateException("the C library has no prctl"));
    // int prctl(int option, ...): the four further arguments are variadic.
    return linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
  }
}
