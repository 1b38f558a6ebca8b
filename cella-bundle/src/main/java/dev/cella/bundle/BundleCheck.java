package dev.cella.bundle;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * Checks, before a bundle is signed, what the enclave runtime would otherwise refuse only when
 * the bundle is loaded: the entry class exists in the bundle's jars and is a public {@code
 * TrustedApplication}; an application's main class exists and has a {@code public static void
 * main(String[])}; each service interface is a public interface annotated {@code
 * @EnclaveService}, its implementation exists and implements it, and every method's types can
 * cross the boundary — the check derives each service's codec with the bundle's own copy of
 * {@code ServiceCodec} and the manifest's limits, so a refused type is named with its method at
 * build time. The toolchain ({@code cella package}, the Maven plugin) calls it on every bundle it
 * builds.
 *
 * <p>The jars are loaded in a throwaway class loader whose parent is the JDK's platform loader,
 * closed when the check ends. Classes are loaded without being initialized, except the runtime's
 * codec classes and the enums the services use (the codec reads their constants); no other code
 * of the application runs.
 *
 * <pre>{@code
 * UnsignedBundle unsigned = BundleBuilder.create(manifest).addLibraries(jars).buildUnsigned();
 * BundleCheck.check(unsigned);   // EnclaveException INVALID_ARGUMENT naming the problem
 * byte[] signed = unsigned.sign(key);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class BundleCheck {
  private static final String TRUSTED_APPLICATION = "dev.cella.enclave.TrustedApplication";
  private static final String ENCLAVE_CONTEXT = "dev.cella.enclave.EnclaveContext";
  private static final String ENCLAVE_SERVICE = "dev.cella.EnclaveService";
  private static final String SERVICE_CODEC = "dev.cella.protocol.codec.ServiceCodec";
  private static final String CODEC_LIMITS = "dev.cella.protocol.codec.CodecLimits";

  private BundleCheck() {}

  /**
   * Checks the entry class and the services of {@code bundle} against its own jars.
   *
   * @throws EnclaveException {@code INVALID_ARGUMENT} naming the class, method or type that the
   *     enclave runtime would refuse, or the runtime classes the bundle lacks
   */
  public static void check(UnsignedBundle bundle) {
    check(bundle.manifest(), bundle.libraries());
  }

  /** As {@link #check(UnsignedBundle)}, for a manifest and the jars (file name to content). */
  public static void check(Manifest manifest, SequencedMap<String, byte[]> jars) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("cella-check");
      List<URL> urls = new ArrayList<>();
      for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
        Path file = dir.resolve(jar.getKey());
        Files.write(file, jar.getValue());
        urls.add(file.toUri().toURL());
      }
      try (URLClassLoader loader =
          new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
        new Checker(manifest, loader).run();
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new EnclaveException(Code.INTERNAL,
          "cannot check the bundle's classes in a temporary folder: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  /** The checks, against one class loader over the bundle's jars. */
  private record Checker(Manifest manifest, ClassLoader loader) {
    void run() {
      Class<?> trusted = runtimeClass(TRUSTED_APPLICATION);
      Class<?> context = runtimeClass(ENCLAVE_CONTEXT);
      @SuppressWarnings("unchecked")
      Class<? extends java.lang.annotation.Annotation> serviceAnnotation =
          (Class<? extends java.lang.annotation.Annotation>) runtimeClass(ENCLAVE_SERVICE);
      manifest.entry().ifPresent(entry -> constructible("entry", load("entry", entry), trusted, null));
      manifest.application().ifPresent(app -> hasMain(load("application main", app.mainClass())));
      for (ServiceBinding service : manifest.services()) {
        Class<?> iface = load("service interface", service.interfaceName());
        if (!iface.isInterface() || !iface.isAnnotationPresent(serviceAnnotation)) {
          throw refused("service " + iface.getName()
              + " must be an interface annotated @dev.cella.EnclaveService");
        }
        constructible("service implementation",
            load("service implementation", service.implementationName()), iface, context);
        deriveCodec(iface);
      }
    }

    private void deriveCodec(Class<?> iface) {
      try {
        Class<?> limitsType = runtimeClass(CODEC_LIMITS);
        Object limits = limitsType.getConstructor(int.class, int.class).newInstance(
            manifest.limits().maxFrameBytes(), manifest.limits().maxNestingDepth());
        Method of = runtimeClass(SERVICE_CODEC).getMethod("of", Class.class, limitsType);
        of.invoke(null, iface, limits);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof LinkageError linkage) {
          throw refused("service " + iface.getName() + " uses a class the bundle does not have: "
              + linkage.getMessage());
        }
        throw refused("service " + iface.getName() + " cannot be called across the boundary: "
            + cause.getMessage());
      } catch (ReflectiveOperationException | LinkageError e) {
        throw refused("the bundle's copy of the enclave runtime has no usable " + SERVICE_CODEC
            + " (" + e + "); is it another version of Cella?");
      }
    }

    private Class<?> runtimeClass(String name) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw refused("the bundle does not carry the Cella enclave runtime (" + name
            + " is in none of its jars); add cella-enclave and its dependencies");
      }
    }

    private Class<?> load(String role, String name) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw refused(role + " class " + name + " is in none of the bundle's jars");
      } catch (LinkageError e) {
        throw refused(role + " class " + name + " cannot be loaded from the bundle's jars: " + e);
      }
    }

    /** The class has {@code public static void main(String[])}, as the java launcher needs. */
    private static void hasMain(Class<?> type) {
      try {
        Method main = type.getMethod("main", String[].class);
        if (Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class) {
          return;
        }
      } catch (NoSuchMethodException e) {
        // Refused below.
      } catch (LinkageError e) {
        throw refused("application main class " + type.getName()
            + " uses a class the bundle does not have: " + e.getMessage());
      }
      throw refused("application main class " + type.getName()
          + " has no public static void main(String[])");
    }

    private static void constructible(String role, Class<?> type, Class<?> required,
        Class<?> contextOrNull) {
      if (!required.isAssignableFrom(type)) {
        throw refused(role + " class " + type.getName() + " does not implement " + required.getName());
      }
      if (type.isInterface() || Modifier.isAbstract(type.getModifiers())
          || !Modifier.isPublic(type.getModifiers())) {
        throw refused(role + " class " + type.getName() + " must be a public, non-abstract class");
      }
      if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
        throw refused(role + " class " + type.getName() + " is an inner class; make it static");
      }
      try {
        for (Constructor<?> c : type.getConstructors()) {
          if (c.getParameterCount() == 0
              || (contextOrNull != null && c.getParameterCount() == 1
                  && c.getParameterTypes()[0] == contextOrNull)) {
            return;
          }
        }
      } catch (LinkageError e) {
        throw refused(role + " class " + type.getName() + " uses a class the bundle does not have: "
            + e.getMessage());
      }
      throw refused(role + " class " + type.getName() + " needs a public constructor without"
          + " parameters" + (contextOrNull != null ? " or taking an EnclaveContext" : ""));
    }
  }

  private static EnclaveException refused(String message) {
    return new EnclaveException(Code.INVALID_ARGUMENT, message);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // A temporary folder of copies of the bundle's jars; nothing secret is left behind.
    }
  }
}
