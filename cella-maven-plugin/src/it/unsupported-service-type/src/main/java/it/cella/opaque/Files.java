package it.cella.opaque;

import dev.cella.EnclaveService;
import java.io.File;

@EnclaveService
public interface Files {
  long size(File file);
}
