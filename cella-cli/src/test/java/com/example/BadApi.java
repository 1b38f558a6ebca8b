package com.example;

import dev.cella.EnclaveService;

/** A service whose method takes a type the codec refuses. */
@EnclaveService
public interface BadApi {
  String describe(Object anything);
}
