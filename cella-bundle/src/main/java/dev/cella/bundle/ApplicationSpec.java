package dev.cella.bundle;

import dev.cella.bundle.internal.Names;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * The program of an application bundle (application mode): an ordinary {@code public static void
 * main(String[])} that the enclave runs unmodified, with the arguments it always receives first,
 * its environment and its working directory. Recorded in the manifest's {@code application}
 * field, so it is measured: a verifier that trusts the bundle trusts these values. Arguments
 * given at run time ({@code cella run FILE -- ARGS}) come after {@link #args()}.
 *
 * <p>Example: {@code new ApplicationSpec("org.h2.tools.RunScript", List.of("-url",
 * "jdbc:h2:nio:/data/db"), Map.of(), Optional.of("/data"))}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mainClass the class whose {@code main} runs
 * @param args the leading arguments, at most {@link #MAX_ARGS}, each at most {@link #MAX_TEXT}
 *     characters
 * @param env the environment, names {@code [A-Za-z_][A-Za-z0-9_]*}, in the order given (written
 *     sorted by name)
 * @param workingDirectory the working directory inside the enclave (absolute, normalized); empty
 *     for the backend's default ({@code /tmp})
 */
public record ApplicationSpec(String mainClass, List<String> args, SequencedMap<String, String> env,
    Optional<String> workingDirectory) {
  /** The most arguments and environment variables each. */
  public static final int MAX_ARGS = 1024;
  /** The longest argument, variable name or value. */
  public static final int MAX_TEXT = 32768;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

  public ApplicationSpec {
    Names.checkClassName("application main", mainClass);
    args = List.copyOf(args);
    if (args.size() > MAX_ARGS) {
      throw new IllegalArgumentException("at most " + MAX_ARGS + " arguments, got " + args.size());
    }
    for (String arg : args) {
      checkText("an argument", arg);
    }
    Objects.requireNonNull(env, "env");
    if (env.size() > MAX_ARGS) {
      throw new IllegalArgumentException("at most " + MAX_ARGS + " environment variables");
    }
    SequencedMap<String, String> sorted = new LinkedHashMap<>();
    for (String name : env.keySet().stream().sorted().toList()) {
      if (name == null || !ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("environment variable name must match"
            + " [A-Za-z_][A-Za-z0-9_]*, got '" + name + "'");
      }
      String value = env.get(name);
      checkText("the value of " + name, value);
      sorted.put(name, value);
    }
    env = Collections.unmodifiableSequencedMap(sorted);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    workingDirectory.ifPresent(dir -> Names.checkAbsolutePath("workingDirectory", dir));
  }

  /** A program with no leading arguments, no environment and the default working directory. */
  public static ApplicationSpec of(String mainClass) {
    return new ApplicationSpec(mainClass, List.of(), new LinkedHashMap<>(), Optional.empty());
  }

  private static void checkText(String what, String text) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (text.length() > MAX_TEXT || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " is longer than " + MAX_TEXT
          + " characters or holds a NUL character");
    }
  }
}
