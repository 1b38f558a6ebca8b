package com.example;

/** The implementation of {@link BadApi}. */
public final class BadImpl implements BadApi {
  @Override
  public String describe(Object anything) {
    return String.valueOf(anything);
  }
}
