package dev.cella.testing.junit.internal;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveService;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.junit.InjectEnclave;
import dev.cella.testing.junit.MockIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.opentest4j.TestAbortedException;

/**
 * One backend's run of an {@code @EnclaveTest} class: checks that the backend can run here
 * (skipping the run with the reason if not), loads the class's enclave before its tests, loads
 * each mock-identity variant on first use, injects them, and closes them all after the tests (it
 * sits in the invocation's store, which closes it when the invocation ends).
 *
 * <p>Thread-safe: enclaves are created under this object's lock; the enclaves themselves are
 * thread-safe.
 */
final class BackendInvocation implements ParameterResolver, TestInstancePostProcessor,
    AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BackendInvocation.class.getName());
  /** Stands for "no mock identity" as a map key. */
  private static final Object DEFAULT = new Object();

  private final String backend;
  private final Path bundle;
  private final MockIdentity classMock;
  private final String testName;
  private final Map<Object, Enclave> enclaves = new LinkedHashMap<>();
  private EnclaveManager manager;
  private Path workDir;
  private BackendInfo info;
  private boolean closed;

  BackendInvocation(String backend, Path bundle, MockIdentity classMock, Class<?> testClass) {
    this.backend = backend;
    this.bundle = bundle;
    this.classMock = classMock;
    this.testName = testClass.getName() + "[" + backend + "]";
  }

  /** Checks the backend and loads the class's enclave: before the invocation's first test. */
  void start() {
    enclave(null);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return injectable(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == BackendInfo.class) {
      return backendInfo();
    }
    MockIdentity mock = parameter.findAnnotation(InjectEnclave.class)
        .map(a -> MockIdentities.single(a.insecureMockIdentity(), "@InjectEnclave on "
            + parameter.getParameter() + " in " + testName))
        .orElse(null);
    return valueOf(type, enclave(mock));
  }

  @Override
  public void postProcessTestInstance(Object instance, ExtensionContext context) throws IllegalAccessException {
    for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        InjectEnclave inject = field.getAnnotation(InjectEnclave.class);
        if (inject == null) {
          continue;
        }
        if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())
            || !injectable(field.getType())) {
          throw new ExtensionConfigurationException("@InjectEnclave field " + c.getName() + "."
              + field.getName() + " must be a non-static, non-final field of type Enclave,"
              + " BackendInfo or an @EnclaveService interface");
        }
        MockIdentity mock = MockIdentities.single(inject.insecureMockIdentity(),
            "@InjectEnclave on field " + field.getName() + " in " + testName);
        Object value = field.getType() == BackendInfo.class ? backendInfo()
            : valueOf(field.getType(), enclave(mock));
        field.setAccessible(true);
        field.set(instance, value);
      }
    }
  }

  private static boolean injectable(Class<?> type) {
    return type == Enclave.class || type == BackendInfo.class
        || (type.isInterface() && type.isAnnotationPresent(EnclaveService.class));
  }

  private static Object valueOf(Class<?> type, Enclave enclave) {
    return type == Enclave.class ? enclave : enclave.service(type);
  }

  /** The enclave for {@code mock} (null: the class's own), loaded on first use. */
  private synchronized Enclave enclave(MockIdentity mock) {
    MockIdentity effective = mock != null ? mock : classMock;
    Object key = mock != null ? mock : DEFAULT;
    Enclave enclave = enclaves.get(key);
    if (enclave != null) {
      return enclave;
    }
    backendInfo();
    Path file = bundle;
    if (effective != null) {
      file = MockIdentities.resign(bundle, effective, workDir().resolve("mock-" + enclaves.size()
          + ".cella"), testName);
    }
    String name = "test-" + enclaves.size();
    enclave = manager.load(name, file, EnclaveOptions.builder().backend(backend).build());
    enclaves.put(key, enclave);
    return enclave;
  }

  /** The backend's description; aborts the invocation (a skip, with the reason) if it cannot run. */
  private synchronized BackendInfo backendInfo() {
    if (closed) {
      throw new IllegalStateException(testName + " is finished; its enclaves are closed");
    }
    if (manager == null) {
      manager = EnclaveManager.create();
      info = manager.backend(backend).orElse(null);
    }
    Optional<String> cause = info == null
        ? Optional.of("no backend named '" + backend + "' is on the test class path (known: "
            + manager.backends().stream().map(BackendInfo::name).toList()
            + "); add its module, e.g. dev.cella:cella-backend-" + backend + ", as a test dependency")
        : info.unavailabilityCause();
    if (cause.isPresent()) {
      String reason = "backend '" + backend + "' cannot run here: " + cause.get();
      LOG.log(Level.INFO, "skipping " + testName + ": " + reason);
      throw new TestAbortedException(reason);
    }
    return info;
  }

  private Path workDir() {
    if (workDir == null) {
      try {
        workDir = Files.createTempDirectory("cella-enclave-test");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a folder for re-signed bundles", e);
      }
    }
    return workDir;
  }

  /** Closes every enclave of this invocation and the manager. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    List<RuntimeException> failures = new ArrayList<>();
    for (Enclave e : enclaves.values()) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        failures.add(ex);
      }
    }
    enclaves.clear();
    if (manager != null) {
      manager.close();
    }
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "could not delete " + workDir + ": " + e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }
}
