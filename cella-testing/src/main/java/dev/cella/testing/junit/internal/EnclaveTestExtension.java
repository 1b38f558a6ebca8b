package dev.cella.testing.junit.internal;

import dev.cella.testing.junit.EnclaveTest;
import dev.cella.testing.junit.MockIdentity;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link EnclaveTest}: one class-template invocation per backend, each with
 * its own {@link BackendInvocation} that loads, injects and closes the enclaves.
 *
 * <p>Stateless and thread-safe; the state lives in the invocations.
 */
public final class EnclaveTestExtension implements ClassTemplateInvocationContextProvider,
    BeforeClassTemplateInvocationCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EnclaveTestExtension.class);

  /** Created by JUnit. */
  public EnclaveTestExtension() {}

  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    return context.getTestClass()
        .map(c -> AnnotationSupport.isAnnotated(c, EnclaveTest.class)).orElse(false);
  }

  @Override
  public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(
      ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    EnclaveTest test = AnnotationSupport.findAnnotation(testClass, EnclaveTest.class).orElseThrow();
    if (test.backends().length == 0) {
      throw new ExtensionConfigurationException(
          "@EnclaveTest on " + testClass.getName() + " names no backend");
    }
    Set<String> backends = new LinkedHashSet<>(List.of(test.backends()));
    if (backends.size() != test.backends().length) {
      throw new ExtensionConfigurationException(
          "@EnclaveTest on " + testClass.getName() + " names a backend twice");
    }
    Path bundle = BundleLocator.locate(test.bundle(), testClass);
    MockIdentity mock = MockIdentities.single(test.insecureMockIdentity(),
        "@EnclaveTest on " + testClass.getName());
    return backends.stream().map(backend -> new ClassTemplateInvocationContext() {
      @Override
      public String getDisplayName(int invocationIndex) {
        return "[" + backend + "]";
      }

      private final BackendInvocation invocation =
          new BackendInvocation(backend, bundle, mock, testClass);

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(invocation);
      }

      @Override
      public void prepareInvocation(ExtensionContext invocationContext) {
        invocationContext.getStore(NAMESPACE).put(BackendInvocation.class, invocation);
      }
    });
  }

  @Override
  public void beforeClassTemplateInvocation(ExtensionContext invocationContext) {
    BackendInvocation invocation =
        invocationContext.getStore(NAMESPACE).get(BackendInvocation.class, BackendInvocation.class);
    if (invocation != null) {
      invocation.start();
    }
  }
}
