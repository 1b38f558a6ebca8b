package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.host.internal.net.TcpRelay;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.StorageRequest;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ServiceRegistry;
import java.util.Map;
import java.util.Objects;

/**
 * Serves the frames an enclave sends to its host: platform requests (evidence) and, through the
 * registered host services, typed host calls. Every frame is decoded defensively — a compromised
 * enclave is as untrusted to the host as the host is to the enclave — and every failure becomes an
 * error frame: this handler never throws into the backend.
 *
 * <p>Thread-safe.
 */
final class HostCalls implements dev.cella.spi.HostCallHandler {
  private final String enclaveName;
  private final EnclaveIdentity identity;
  private final Platforms platforms;
  private final ServiceRegistry hostServices;
  private final HostStorage storage;
  private final ChannelRouter channels;
  private final TcpRelay streams;
  private final int maxFrameBytes;
  private final ProgramHost program;
  private volatile java.util.function.Supplier<Map<String, String>> launchMeasurements = Map::of;

  /** @param programOrNull the program's streams, for an application bundle */
  HostCalls(String enclaveName, EnclaveIdentity identity, Platforms platforms,
      ServiceRegistry hostServices, HostStorage storage, ChannelRouter channels,
      TcpRelay streams, int maxFrameBytes, ProgramHost programOrNull) {
    this.program = programOrNull;
    this.enclaveName = Objects.requireNonNull(enclaveName, "enclaveName");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.platforms = Objects.requireNonNull(platforms, "platforms");
    this.hostServices = Objects.requireNonNull(hostServices, "hostServices");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.channels = Objects.requireNonNull(channels, "channels");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * The host services offered to an enclave, each with the codec derived from the host's copy of
   * its interface; an interface whose types cannot cross fails the load here.
   */
  static ServiceRegistry registry(String enclaveName, Map<Class<?>, Object> services,
      EnclaveLimits limits) {
    ServiceRegistry.Builder registry =
        ServiceRegistry.builder("the host of enclave '" + enclaveName + "'");
    services.forEach((iface, implementation) ->
        registry.add(ServiceCodec.of(iface, CodecLimits.of(limits)), implementation));
    return registry.build();
  }

  private ProgramHost program(FrameType type) {
    if (program == null) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "the host of enclave '" + enclaveName
          + "' serves no " + type + " frames: the bundle is not an application bundle");
    }
    return program;
  }

  /** Where the launched connection's measurements come from, once it is launched. */
  void launchMeasurements(java.util.function.Supplier<Map<String, String>> source) {
    this.launchMeasurements = Objects.requireNonNull(source, "source");
  }

  @Override
  public byte[] handle(byte[] frame) {
    try {
      FrameType type = Frames.type(frame);
      return switch (type) {
        case HOST_INVOKE -> hostServices.serve(frame);
        case HOST_BIND -> {
          hostServices.bind(ServiceBinding.decode(Frames.payload(frame)));
          yield Frames.ok(new byte[0]);
        }
        case PLATFORM_STORAGE -> Frames.ok(storage.handle(
            StorageRequest.decode(Frames.payload(frame), maxFrameBytes)));
        case PLATFORM_EVIDENCE -> Frames.ok(platforms.evidence(
            identity, EvidenceRequest.decode(Frames.payload(frame)), launchMeasurements.get()));
        case CHANNEL_CONNECT, CHANNEL_ACCEPT, CHANNEL_SEND, CHANNEL_CLOSE -> Frames.ok(
            channels.handle(enclaveName, type, Frames.payload(frame), maxFrameBytes));
        case STREAM_CONNECT, STREAM_SEND, STREAM_END -> Frames.ok(
            streams.handle(type, Frames.payload(frame)));
        case PROGRAM_OUTPUT, PROGRAM_INPUT, PROGRAM_EXIT -> Frames.ok(program(type)
            .handle(type, Frames.payload(frame)));
        default -> throw new EnclaveException(Code.INVALID_ARGUMENT,
            "the host of enclave '" + enclaveName + "' does not serve " + type + " frames");
      };
    } catch (EnclaveException e) {
      return Frames.error(e);
    } catch (RuntimeException e) {
      return Frames.error(Code.INTERNAL, "the host failed: " + e.getClass().getName());
    }
  }
}
