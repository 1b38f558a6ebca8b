package com.example;

/** An interface without {@code @EnclaveService}. */
public interface NotAService {
  String name();
}
