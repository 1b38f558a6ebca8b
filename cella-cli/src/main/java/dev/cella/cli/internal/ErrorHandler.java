package dev.cella.cli.internal;

import dev.cella.EnclaveException;
import dev.cella.bundle.InvalidBundleException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;
import java.security.KeyException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into DESIGN.md's contract: one line {@code cella: <what is wrong>} on
 * stderr, the stack trace only with {@code --verbose}, and the exit status of {@link ExitCode}.
 * Usage errors also print the command's synopsis and where to find help.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    // An unknown option is the real mistake even when picocli also misses a required one.
    java.util.List<String> unmatched = new java.util.ArrayList<>();
    for (CommandLine c = cmd; c != null; c = c.getParent()) {
      unmatched.addAll(0, c.getUnmatchedArguments());
    }
    String message = !unmatched.isEmpty() && !(ex instanceof CommandLine.UnmatchedArgumentException)
        ? "unknown option or argument: " + String.join(" ", unmatched) : ex.getMessage();
    err.println("cella: " + message);
    printUsageHint(cmd, err);
    if (isVerbose(args)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code = exitCode(ex);
    err.println("cella: " + message(ex));
    if (code == ExitCode.USAGE) {
      printUsageHint(cmd, err);
    }
    if (isVerbose(parseResult.originalArgs().toArray(String[]::new))) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The exit status for {@code ex}. */
  public static int exitCode(Throwable ex) {
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    if (ex instanceof InvalidBundleException b) {
      return CliException.bundle(java.nio.file.Path.of("bundle"), b).exitCode();
    }
    if (ex instanceof ParameterException) {
      return ExitCode.USAGE;
    }
    if (ex instanceof GeneralSecurityException && !(ex instanceof KeyException)) {
      return ExitCode.REFUSED;
    }
    return ExitCode.FAILURE;
  }

  /** The one-line message for {@code ex}. */
  public static String message(Throwable ex) {
    Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    } else if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " already exists";
    } else if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    } else if (e instanceof NotDirectoryException f) {
      return "not a folder: " + f.getFile();
    } else if (e instanceof DirectoryNotEmptyException f) {
      return "folder not empty: " + f.getFile();
    } else if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? "file system error" : f.getReason());
    } else if (e instanceof IOException) {
      return "I/O error: " + e.getMessage();
    } else if (e instanceof CliException || e instanceof GeneralSecurityException
        || e instanceof EnclaveException || e instanceof IllegalArgumentException) {
      return String.valueOf(e.getMessage());
    }
    return "internal error: " + e + " (run with --verbose for the stack trace)";
  }

  private static void printUsageHint(CommandLine cmd, PrintWriter err) {
    err.print(cmd.getHelp().synopsis(0));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
  }

  private static boolean isVerbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
