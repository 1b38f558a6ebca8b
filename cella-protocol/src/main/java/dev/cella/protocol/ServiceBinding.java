package dev.cella.protocol;

import dev.cella.Bytes;
import java.util.Objects;

/**
 * The payload of {@link FrameType#BIND_SERVICE}: the host asks whether the enclave provides a
 * service of this name whose interface has this fingerprint, before it hands out a proxy.
 *
 * <p>Immutable and thread-safe.
 */
public record ServiceBinding(String service, Bytes fingerprint) {
  public static final int MAX_FINGERPRINT_BYTES = 64;

  public ServiceBinding {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  public byte[] encode() {
    return new WireWriter(64 + service.length())
        .string(service).bytes(fingerprint.toByteArray()).toByteArray();
  }

  public static ServiceBinding decode(byte[] payload) {
    WireReader in = new WireReader(payload);
    String service = in.string(Invocation.MAX_SERVICE_NAME_BYTES, "service name");
    Bytes fingerprint = Bytes.of(in.bytes(MAX_FINGERPRINT_BYTES, "fingerprint"));
    in.expectEnd("service binding");
    return new ServiceBinding(service, fingerprint);
  }
}
