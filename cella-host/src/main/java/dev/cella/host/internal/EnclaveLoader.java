package dev.cella.host.internal;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.Bundle;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.Manifest;
import dev.cella.host.internal.net.NetworkRelays;
import dev.cella.host.internal.net.TcpRelay;
import dev.cella.protocol.ProgramMessages;
import dev.cella.protocol.StorageRequest;
import java.util.HashMap;
import java.util.Map;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a bundle file into a running, initialized enclave: verify the bundle, give its jars a
 * private folder, launch the backend, send the initialization frame with the sealing keys the
 * platform derives for the measured identity, and wrap the connection in a {@link HostEnclave}.
 * On any failure everything taken so far is released.
 *
 * <p>Thread-safe.
 */
public final class EnclaveLoader {
  private final Platforms platforms;
  private final ChannelRouter channels;

  /** @param channels wires the loaded enclaves' channels by name */
  public EnclaveLoader(Platforms platforms, ChannelRouter channels) {
    this.platforms = platforms;
    this.channels = channels;
  }

  public Enclave load(String name, Path bundleFile, EnclaveOptions options, Backend backend,
      BackendInfo info, Runnable onClose) {
    Bundle bundle = verify(bundleFile);
    Manifest manifest = bundle.manifest();
    EnclaveIdentity identity = bundle.identity(info.platform());
    Path folder = privateFolder(name);
    EnclaveConnection connection = null;
    boolean wired = false;
    boolean relays = NetworkRelays.relays(info);
    TcpRelay streams = NetworkRelays.create(name, info, manifest, options);
    try {
      List<Path> jars = bundle.writeLibraries(folder);
      Path storage = options.storageDirectory()
          .orElseGet(() -> platforms.home().resolve("storage").resolve(identity.platform().id())
              .resolve(name));
      ProgramHost program = programOrNull(manifest, options);
      HostCalls hostCalls = new HostCalls(name, identity, platforms,
          HostCalls.registry(name, options.hostServices(), manifest.limits()),
          new HostStorage(storage, platforms.platform(identity.platform()).directory(), identity,
              sealedMounts(manifest)),
          channels, streams, manifest.limits().maxFrameBytes(), program);
      connection = backend.launch(new LaunchRequest(name, identity, bundleFile, jars,
          manifest.limits(), hostCalls, dev.cella.Bytes.of(manifest.toJson())));
      EnclaveConnection launched = connection;
      hostCalls.launchMeasurements(launched::launchMeasurements);
      // Reachable by name from launch on, so that initialize may already start accepting.
      channels.register(name, launched::call);
      wired = true;
      if (relays) {
        streams.attach(launched::call, launched::isAlive);
      }
      initialize(connection, name, identity, manifest, options);
      if (relays) {
        streams.listen();
      }
      return new HostEnclave(name, identity, info, launched, manifest.limits(),
          request -> platforms.evidence(identity, request, launched.launchMeasurements()),
          port -> relays ? streams.listenAddress(port) : NetworkRelays.simAddress(name, manifest, port),
          () -> {
            streams.close();
            channels.unregister(name);
            deleteQuietly(folder);
            onClose.run();
          }, program);
    } catch (IOException e) {
      streams.close();
      unwire(wired, name);
      closeQuietly(connection);
      deleteQuietly(folder);
      throw new EnclaveException(Code.INTERNAL,
          "cannot write the bundle's jars to " + folder + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      streams.close();
      unwire(wired, name);
      closeQuietly(connection);
      deleteQuietly(folder);
      throw e;
    }
  }

  /** The program of an application bundle, with the options' streams; null for other bundles. */
  private static ProgramHost programOrNull(Manifest manifest, EnclaveOptions options) {
    return manifest.application().map(app -> new ProgramHost(options.programIo(),
        new ProgramMessages.Start(app.mainClass(), app.args(), app.env(),
            app.workingDirectory().orElse(""), manifest.hostAccess().files().stream()
                .map(f -> new ProgramMessages.Mount(f.hostPath(), f.enclavePath(), f.mode().id()))
                .toList()))).orElse(null);
  }

  /** The host folder of each sealed file grant, by the store name the runtime uses for it. */
  private static Map<String, Path> sealedMounts(Manifest manifest) {
    Map<String, Path> mounts = new HashMap<>();
    List<FileGrant> files = manifest.hostAccess().files();
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).mode() == FileGrant.Mode.SEALED) {
        mounts.put(StorageRequest.MOUNT_STORE_PREFIX + i, Path.of(files.get(i).hostPath()));
      }
    }
    return mounts;
  }

  private void initialize(EnclaveConnection connection, String name, EnclaveIdentity identity,
      Manifest manifest, EnclaveOptions options) {
    byte[] config = options.config().orElseGet(() -> manifest.initialConfig().toByteArray());
    Platforms.SealingKeys keys = platforms.sealingKeys(identity);
    InitMessage init = new InitMessage(name, identity, manifest.limits(),
        manifest.entry().orElse(""),
        manifest.services().stream()
            .map(s -> new InitMessage.ServiceEntry(s.interfaceName(), s.implementationName()))
            .toList(),
        config, keys.measurement(), keys.signer());
    byte[] payload = init.encode();
    init.wipe();
    keys.wipe();
    try {
      Frames.result(connection.call(Frames.frame(FrameType.INITIALIZE, payload)));
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
  }

  private static Bundle verify(Path file) {
    try {
      return Bundle.open(file);
    } catch (NoSuchFileException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "no bundle at " + file);
    } catch (IOException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT,
          "cannot read bundle " + file + ": " + e.getMessage(), e);
    } catch (InvalidBundleException e) {
      Code code = switch (e.reason()) {
        case UNSIGNED, BAD_SIGNATURE -> Code.PERMISSION_DENIED;
        default -> Code.INVALID_ARGUMENT;
      };
      throw new EnclaveException(code, "bundle " + file + " refused: " + e.getMessage(), e);
    }
  }

  private static Path privateFolder(String name) {
    try {
      return Files.createTempDirectory("cella-" + name + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      throw new EnclaveException(Code.INTERNAL,
          "cannot make a private folder for the enclave's jars: " + e.getMessage(), e);
    }
  }

  private void unwire(boolean wired, String name) {
    if (wired) {
      channels.unregister(name);
    }
  }

  private static void closeQuietly(EnclaveConnection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException ignored) {
        // Already failing; the first error is the one to report.
      }
    }
  }

  static void deleteQuietly(Path folder) {
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Best effort: a folder in the temporary directory.
        }
      });
    } catch (IOException ignored) {
      // Nothing to delete.
    }
  }
}
