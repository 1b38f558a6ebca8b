package dev.cella.backend.process.apps;

import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Probes its sandbox from inside the enclave. Commands ({@code VERB[:ARGUMENT]}): {@code
 * connect:HOST:PORT}, {@code unix:PATH} (a Unix-domain socket), {@code interfaces}, {@code read:PATH}, {@code write:PATH}, {@code list:PATH},
 * {@code kill:PID:SIGNAL} (errno name or "ok"), {@code dumpable}, {@code processes}, {@code env},
 * {@code hostname}, {@code status:FIELD} (a line of /proc/self/status), {@code sleep:MILLIS},
 * {@code exit:STATUS}, {@code oom}, {@code echo:X}. Failures are answered as {@code
 * failed:<exception class>}.
 */
public final class ProbeApp implements TrustedApplication {
  private static final List<byte[]> HOARD = new ArrayList<>();

  @Override
  public void initialize(EnclaveContext context, byte[] config) {}

  @Override
  public byte[] run(byte[] input) {
    String command = new String(input, StandardCharsets.UTF_8);
    int colon = command.indexOf(':');
    String verb = colon < 0 ? command : command.substring(0, colon);
    String argument = colon < 0 ? "" : command.substring(colon + 1);
    try {
      return utf8(switch (verb) {
        case "connect" -> connect(argument);
        case "unix" -> {
          try (var socket = java.nio.channels.SocketChannel.open(
              java.net.UnixDomainSocketAddress.of(Path.of(argument)))) {
            yield "connected";
          }
        }
        case "interfaces" -> interfaces();
        case "read" -> "read " + Files.readAllBytes(Path.of(argument)).length + " bytes";
        case "write" -> {
          Files.writeString(Path.of(argument), "written by the enclave");
          yield "written";
        }
        case "list" -> list(argument);
        case "kill" -> kill(argument);
        case "dumpable" -> Integer.toString(prctl(3));
        case "processes" -> ProcessHandle.allProcesses().map(p -> Long.toString(p.pid()))
            .reduce((a, b) -> a + "," + b).orElse("");
        case "env" -> String.join(",", new TreeSet<>(System.getenv().keySet()));
        case "hostname" -> Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        case "status" -> status(argument);
        case "sleep" -> {
          Thread.sleep(Long.parseLong(argument));
          yield "slept";
        }
        case "exit" -> {
          System.exit(Integer.parseInt(argument));
          yield "unreachable";
        }
        case "oom" -> {
          while (true) {
            HOARD.add(new byte[8 << 20]);
          }
        }
        case "echo" -> argument;
        default -> "unknown command " + verb;
      });
    } catch (Exception e) {
      return utf8("failed:" + e.getClass().getName());
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    return new byte[0];
  }

  private static String connect(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1))), 2000);
      return "connected";
    }
  }

  private static String interfaces() throws IOException {
    List<String> found = new ArrayList<>();
    for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
      found.add(nif.getName() + (nif.isUp() ? ":up" : ":down"));
    }
    return String.join(",", found);
  }

  private static String list(String folder) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(folder))) {
      return String.join(",", new TreeSet<>(entries.map(p -> p.getFileName().toString()).toList()));
    }
  }

  private static String status(String field) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith(field + ":")).findFirst().orElse("none").strip();
  }

  private static final StructLayout ERRNO = Linker.Option.captureStateLayout();

  private static String kill(String pidSignal) throws Throwable {
    int colon = pidSignal.indexOf(':');
    long pid = Long.parseLong(pidSignal.substring(0, colon));
    int signal = Integer.parseInt(pidSignal.substring(colon + 1));
    Linker linker = Linker.nativeLinker();
    MethodHandle kill = linker.downcallHandle(linker.defaultLookup().find("kill").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.captureCallState("errno"));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(ERRNO);
      int rc = (int) kill.invokeExact(state, (int) pid, signal);
      if (rc == 0) {
        return "ok";
      }
      int errno = (int) ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"))
          .get(state, 0L);
      return switch (errno) {
        case 1 -> "EPERM";
        case 3 -> "ESRCH";
        default -> "errno " + errno;
      };
    }
  }

  private static int prctl(int option) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1));
    return (int) prctl.invokeExact(option, 0L, 0L, 0L, 0L);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
