package it.cella.greeter;

import dev.cella.EnclaveService;
import java.util.List;

@EnclaveService
public interface Greeter {
  record Greeting(String text, List<String> names) {}

  Greeting greet(List<String> names);
}
