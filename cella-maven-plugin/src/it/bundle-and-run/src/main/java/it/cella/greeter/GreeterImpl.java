package it.cella.greeter;

import java.util.List;

public final class GreeterImpl implements Greeter {
  @Override
  public Greeting greet(List<String> names) {
    return new Greeting("hello, " + String.join(" and ", names), names);
  }
}
