package dev.cella.enclave.internal.program;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.ProgramMessages.End;
import dev.cella.protocol.ProgramMessages.Ending;
import dev.cella.protocol.ProgramMessages.Mount;
import dev.cella.protocol.ProgramMessages.Start;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Runs an application bundle's unmodified {@code main} inside the enclave (application mode), as
 * the {@code java} launcher would: on a thread named {@code main}, then waiting for every other
 * non-daemon thread the program started; an uncaught exception is printed to standard error as
 * Java prints it and makes the status 1.
 *
 * <p>When the enclave owns its JVM (the {@code process} backend), the program's standard streams
 * are the host's, relayed through host calls; each sealed mount is unsealed into its folder
 * before {@code main} and sealed back when the program ends ({@link SealedMirror}); and a {@code
 * System.exit} is reported to the host with its status before the JVM halts ({@link
 * ExitWatch}). On {@code sim} the program runs in the host's
 * JVM with the host's streams and files: what the manifest asks that sim cannot honour (sealed
 * mounts, mounts at another path than the host's, an environment, a working directory) is
 * refused, and the grants are not enforced.
 *
 * <p>Thread-safe; one program per enclave.
 */
public final class ProgramRun {
  private static final System.Logger LOG = System.getLogger(ProgramRun.class.getName());

  /** Opens the sealed file system of the manifest's file grant number {@code index}. */
  public interface SealedMounts {
    FileSystem open(int index) throws IOException;
  }

  private ProgramRun() {}

  /**
   * Runs the program and returns how it ended, unless it exits the JVM.
   *
   * @param host sends a frame of a type with a payload to the host and returns the OK payload
   * @param ownsJvm whether the enclave runtime owns this JVM (its streams, its default file system)
   */
  public static End run(Start start, ClassLoader loader, BiFunction<FrameType, byte[], byte[]> host,
      boolean ownsJvm, SealedMounts sealed) {
    Method main = mainMethod(start.mainClass(), loader);
    ExitWatch watch = null;
    List<Mirror> mirrors = List.of();
    if (ownsJvm) {
      mirrors = loadSealedMounts(start, sealed);
      List<Mirror> synced = mirrors;
      HostStreams.Host toHost = host::apply;
      Charset charset = Charset.forName(System.getProperty("stdout.encoding", "UTF-8"),
          StandardCharsets.UTF_8);
      PrintStream out = new PrintStream(new HostStreams.Output(toHost, false), true, charset);
      PrintStream err = new PrintStream(new HostStreams.Output(toHost, true), true, charset);
      InputStream in = new HostStreams.Input(toHost);
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
      watch = ExitWatch.install(status -> {
        boolean saved = syncAll(synced);
        int reported = saved || status != 0 ? status : 1;
        System.out.flush();
        System.err.flush();
        host.apply(FrameType.PROGRAM_EXIT, new End(null, reported, "").encode());
      });
    } else {
      refuseWhatSimCannotHonour(start);
      LOG.log(System.Logger.Level.WARNING, "application mode without isolation: program "
          + start.mainClass() + " runs in the host JVM with the host's files, network and"
          + " streams; the manifest's grants are NOT enforced, and System.exit ends the host");
    }
    Throwable thrown = runMain(main, start, loader);
    if (watch != null) {
      watch.disarm();
    }
    if (thrown != null) {
      System.err.print("Exception in thread \"main\" ");
      thrown.printStackTrace(System.err);
    }
    boolean saved = syncAll(mirrors);
    System.out.flush();
    System.err.flush();
    if (thrown == null) {
      return new End(Ending.RETURNED, saved ? 0 : 1, "");
    }
    return new End(Ending.UNCAUGHT, 1, Hints.forFailure(thrown, start.mounts()));
  }

  /** A sealed mount's folder and its store. */
  private record Mirror(String enclavePath, SealedMirror mirror) {}

  /** Seals every mount's changes back; false (and a line on stderr) if one failed. */
  private static boolean syncAll(List<Mirror> mirrors) {
    boolean ok = true;
    for (Mirror m : mirrors) {
      try {
        m.mirror().sync();
      } catch (IOException | RuntimeException e) {
        ok = false;
        System.err.println("cella runtime: the files in sealed mount " + m.enclavePath()
            + " could not be sealed back, so the program's changes there are lost: " + e);
      }
    }
    return ok;
  }

  private static Method mainMethod(String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, false, loader);
      Method main = type.getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
        throw new NoSuchMethodException();
      }
      return main;
    } catch (ClassNotFoundException | LinkageError e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "the program's main class " + className + " is not in the bundle (" + e + ")");
    } catch (NoSuchMethodException e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " has no public static void main(String[])");
    }
  }

  /** Runs {@code main} on a thread named main and waits for the program's non-daemon threads. */
  private static Throwable runMain(Method main, Start start, ClassLoader loader) {
    ThreadGroup group = new ThreadGroup("main");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    String[] args = start.args().toArray(String[]::new);
    Thread thread = Thread.ofPlatform().group(group).name("main").unstarted(() -> {
      try {
        main.invoke(null, (Object) args);
      } catch (InvocationTargetException e) {
        failure.set(e.getCause() == null ? e : e.getCause());
      } catch (IllegalAccessException e) {
        failure.set(e);
      }
    });
    thread.setContextClassLoader(loader);
    thread.start();
    try {
      thread.join();
      awaitNonDaemonThreads(group);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveException(Code.CANCELLED, "interrupted while the program ran");
    }
    return failure.get();
  }

  private static void awaitNonDaemonThreads(ThreadGroup group) throws InterruptedException {
    while (true) {
      Thread[] threads = new Thread[group.activeCount() + 16];
      int n = group.enumerate(threads, true);
      Thread live = null;
      for (int i = 0; i < n && live == null; i++) {
        if (!threads[i].isDaemon() && threads[i].isAlive()) {
          live = threads[i];
        }
      }
      if (live == null) {
        return;
      }
      live.join();
    }
  }

  /** Unseals each sealed mount into its folder (which the sandbox made an empty tmpfs). */
  private static List<Mirror> loadSealedMounts(Start start, SealedMounts sealed) {
    List<Mirror> mirrors = new ArrayList<>();
    for (int i = 0; i < start.mounts().size(); i++) {
      Mount m = start.mounts().get(i);
      if (m.mode().equals("sealed")) {
        Path folder = Path.of(m.enclavePath());
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
          throw new EnclaveException(Code.FAILED_PRECONDITION, "the sealed mount at "
              + m.enclavePath() + " has no writable folder in the enclave");
        }
        try {
          mirrors.add(new Mirror(m.enclavePath(), SealedMirror.load(sealed.open(i), folder)));
        } catch (IOException e) {
          throw new EnclaveException(Code.FAILED_PRECONDITION, "the sealed mount at "
              + m.enclavePath() + " cannot be opened: " + e.getMessage(), e);
        }
      }
    }
    return mirrors;
  }

  private static void refuseWhatSimCannotHonour(Start start) {
    for (Mount m : start.mounts()) {
      if (m.mode().equals("sealed")) {
        throw simCannot("a sealed mount (" + m.enclavePath() + "): it runs the program in the host"
            + " JVM, whose file system it cannot seal");
      }
      if (!m.hostPath().equals(m.enclavePath())) {
        throw simCannot("a mount at another path than the host's (" + m.hostPath() + " at "
            + m.enclavePath() + "): the program sees the host's file system as it is");
      }
    }
    if (!start.env().isEmpty()) {
      throw simCannot("an environment (" + String.join(", ", start.env().keySet())
          + "): the program shares the host JVM's environment");
    }
    if (!start.workingDirectory().isEmpty()
        && !start.workingDirectory().equals(System.getProperty("user.dir"))) {
      throw simCannot("working directory " + start.workingDirectory()
          + ": the program shares the host JVM's");
    }
  }

  private static EnclaveException simCannot(String what) {
    return new EnclaveException(Code.FAILED_PRECONDITION, "the sim backend cannot honour "
        + what + "; run it with --backend process");
  }
}
