package dev.cella.enclave.sealing.internal;

import java.util.regex.PatternSyntaxException;

/**
 * Translates the glob syntax of {@link java.nio.file.FileSystem#getPathMatcher} into a regular
 * expression: {@code *} (within a name), {@code **} (across names), {@code ?}, {@code [...]} with
 * {@code !} for negation, {@code {a,b}} (not nested) and backslash escapes. Stateless.
 */
final class Globs {
  private static final String REGEX_META = ".^$+{[]|()";

  private Globs() {}

  static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder("^");
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (++i == glob.length()) {
            throw new PatternSyntaxException("a glob cannot end in an escape", glob, i - 1);
          }
          quote(regex, glob.charAt(i));
        }
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            regex.append(".*");
            i++;
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '[' -> i = bracket(glob, i, regex);
        case '{' -> {
          if (inGroup) {
            throw new PatternSyntaxException("nested {} groups are not supported", glob, i);
          }
          regex.append("(?:");
          inGroup = true;
        }
        case '}' -> {
          if (inGroup) {
            regex.append(')');
            inGroup = false;
          } else {
            quote(regex, c);
          }
        }
        case ',' -> {
          if (inGroup) {
            regex.append('|');
          } else {
            quote(regex, c);
          }
        }
        default -> quote(regex, c);
      }
    }
    if (inGroup) {
      throw new PatternSyntaxException("a { group is not closed", glob, glob.length());
    }
    return regex.append('$').toString();
  }

  /** Appends the bracket expression starting at {@code start}; returns the index of its ']'. */
  private static int bracket(String glob, int start, StringBuilder regex) {
    int i = start + 1;
    regex.append("[[^/]&&[");
    if (i < glob.length() && glob.charAt(i) == '!') {
      regex.append('^');
      i++;
    }
    boolean first = true;
    for (; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        regex.append("]]");
        return i;
      }
      if (c == '/') {
        throw new PatternSyntaxException("a [] class cannot match '/'", glob, i);
      }
      if (c == '\\' || c == '[' || c == '&' || c == '^' || (c == ']' && first)) {
        regex.append('\\');
      }
      regex.append(c);
      first = false;
    }
    throw new PatternSyntaxException("a [ class is not closed", glob, start);
  }

  private static void quote(StringBuilder regex, char c) {
    if (REGEX_META.indexOf(c) >= 0 || c == '\\' || c == '*' || c == '?' || c == '}' || c == ',') {
      regex.append('\\');
    }
    regex.append(c);
  }
}
