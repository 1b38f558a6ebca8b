package dev.cella.protocol.codec;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles one Java source into its own directory and loads it in its own class loader: two
 * versions of "the same" interface, as a host and an enclave built apart would have them.
 */
final class InMemoryCompiler {
  private InMemoryCompiler() {}

  static Class<?> compileAndLoad(Path dir, String className, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    JavaFileObject file = new SimpleJavaFileObject(
        URI.create("string:///" + className.replace('.', '/') + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    StringWriter errors = new StringWriter();
    boolean ok = compiler.getTask(errors, null, null, List.of("-d", dir.toString()), null,
        List.of(file)).call();
    if (!ok) {
      throw new AssertionError("test source does not compile: " + errors);
    }
    try {
      URLClassLoader loader = new URLClassLoader(
          new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      return Class.forName(className, true, loader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
