package dev.cella.bench.peer;

/** The cold-start baseline: what a bare {@code java Hello} costs with the same JDK. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("Hello");
  }
}
