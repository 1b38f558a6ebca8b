package com.example;

import java.nio.file.Files;
import java.nio.file.Path;

/** An ordinary command-line program for application-mode tests: reads the file it is given. */
public final class Tool {
  private Tool() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.out.println("tool read " + Files.readString(Path.of(args[0])).length() + " chars");
    }
  }
}
