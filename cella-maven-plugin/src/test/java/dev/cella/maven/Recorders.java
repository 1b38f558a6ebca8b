package dev.cella.maven;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProjectHelper;

/** Recording stand-ins for what Maven hands a goal: its log and the project helper. */
final class Recorders {
  private Recorders() {}

  /** A log that keeps every line as "LEVEL text". */
  static Log log(List<String> lines) {
    List<String> sink = Collections.synchronizedList(lines);
    return (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] {Log.class},
        (proxy, method, args) -> {
          if (method.getName().startsWith("is")) {
            return true;
          }
          if (args != null && args.length > 0 && args[0] instanceof CharSequence text) {
            sink.add(method.getName().toUpperCase(java.util.Locale.ROOT) + " " + text);
          }
          return null;
        });
  }

  /** A project helper that records each attachArtifact call's arguments. */
  static MavenProjectHelper helper(List<List<Object>> attached) {
    return (MavenProjectHelper) Proxy.newProxyInstance(MavenProjectHelper.class.getClassLoader(),
        new Class<?>[] {MavenProjectHelper.class}, (proxy, method, args) -> {
          if (method.getName().equals("attachArtifact")) {
            attached.add(new ArrayList<>(List.of(args)));
          }
          return null;
        });
  }
}
