package com.example;

/** The implementation of {@link Api}. */
public final class Impl implements Api {
  @Override
  public Greeting greet(String name) {
    return new Greeting("hello, " + name, 1);
  }
}
