package com.example;

import dev.cella.EnclaveService;

/** A typed service for the CLI's tests. */
@EnclaveService
public interface Api {
  /** A value that crosses the boundary. */
  record Greeting(String text, int count) {}

  Greeting greet(String name);
}
