package dev.cella.testing.apps;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.enclave.sealing.UnsealException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The enclave side of {@link Vault}. */
public final class VaultImpl implements Vault {
  private static final byte[] AD = "vault".getBytes(StandardCharsets.UTF_8);
  private final EnclaveContext context;

  public VaultImpl(EnclaveContext context) {
    this.context = context;
  }

  @Override
  public byte[] seal(String policy, byte[] plaintext) {
    return context.sealer(SealPolicy.valueOf(policy)).seal(plaintext, AD);
  }

  @Override
  public byte[] unseal(String policy, byte[] blob) {
    try {
      return context.sealer(SealPolicy.valueOf(policy)).unseal(blob, AD);
    } catch (UnsealException e) {
      throw new EnclaveException(Code.PERMISSION_DENIED, e.reason() + ": " + e.getMessage());
    }
  }

  @Override
  public void put(String name, String value) {
    try {
      Files.writeString(root().resolve(name), value);
    } catch (IOException e) {
      throw new EnclaveException(Code.DATA_LOSS, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<String> get(String name) {
    try {
      return Optional.of(Files.readString(root().resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new EnclaveException(Code.DATA_LOSS, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public List<String> names() {
    try (Stream<Path> files = Files.list(root())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path root() throws IOException {
    FileSystem fs = context.sealedFileSystem();
    return fs.getPath("/");
  }
}
