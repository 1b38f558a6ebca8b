package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.ProtocolException;
import dev.cella.protocol.StorageRequest;
import dev.cella.protocol.StorageRequest.Operation;
import dev.cella.protocol.WireReader;
import dev.cella.protocol.storage.MonotonicCounter;
import dev.cella.protocol.storage.SealedStorageHost;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One sealed store's untrusted object store and counter, reached through host calls. Everything
 * the host answers is checked for shape here and for integrity by sealed storage above it; a host
 * failure becomes an {@link IOException}, which the file system reports to enclave code.
 *
 * <p>Thread-safe.
 */
final class RemoteStore implements SealedStorageHost, MonotonicCounter {
  private static final int MAX_NAMES = 1 << 20;

  private final HostLink host;
  private final String store;
  private final int maxFrameBytes;

  RemoteStore(HostLink host, String store, int maxFrameBytes) {
    this.host = host;
    this.store = store;
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public byte[] readOrNull(String name) throws IOException {
    WireReader in = new WireReader(call(Operation.READ, name, new byte[0]));
    boolean present = in.bool("present flag");
    byte[] bytes = in.bytes(maxFrameBytes, "object");
    in.expectEnd("read answer");
    return present ? bytes : null;
  }

  @Override
  public void writeAtomically(String name, byte[] bytes) throws IOException {
    expectEmpty(call(Operation.WRITE, name, bytes));
  }

  @Override
  public void delete(String name) throws IOException {
    expectEmpty(call(Operation.DELETE, name, new byte[0]));
  }

  @Override
  public List<String> list() throws IOException {
    WireReader in = new WireReader(call(Operation.LIST, "", new byte[0]));
    int count = in.u32("name count");
    if (count < 0 || count > MAX_NAMES || count > in.remaining() / 4) {
      throw new IOException("the host listed an impossible number of objects: " + count);
    }
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(in.string(64, "object name"));
    }
    in.expectEnd("list answer");
    return names;
  }

  @Override
  public long read() throws IOException {
    return counter(Operation.COUNTER_READ);
  }

  @Override
  public long increment() throws IOException {
    return counter(Operation.COUNTER_INCREMENT);
  }

  private long counter(Operation operation) throws IOException {
    WireReader in = new WireReader(call(operation, "", new byte[0]));
    long value = in.u64("counter");
    in.expectEnd("counter answer");
    if (value < 0) {
      throw new IOException("the host's counter answered a negative value");
    }
    return value;
  }

  private byte[] call(Operation operation, String object, byte[] bytes) throws IOException {
    try {
      return host.call(FrameType.PLATFORM_STORAGE,
          new StorageRequest(operation, store, object, bytes).encode());
    } catch (ProtocolException e) {
      throw new IOException("the host's storage answer is malformed: " + e.getMessage(), e);
    } catch (EnclaveException e) {
      throw new IOException("the host's storage refused " + operation + ": " + e.getMessage(), e);
    }
  }

  private static void expectEmpty(byte[] answer) throws IOException {
    if (answer.length != 0) {
      throw new IOException("the host's storage answered " + answer.length + " unexpected bytes");
    }
  }
}
