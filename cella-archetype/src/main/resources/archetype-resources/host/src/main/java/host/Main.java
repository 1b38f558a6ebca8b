package ${package}.host;

import ${package}.Greeter;
import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The host: loads the enclave's signed bundle, calls its {@link Greeter} service and prints the
 * answer. The backend is {@code sim} unless {@code CELLA_BACKEND} names another one on the class
 * path; the code does not change when it does.
 *
 * <pre>
 * java -jar host/target/${rootArtifactId}-host.jar Ada
 * java -Dbundle=other.cella -jar host/target/${rootArtifactId}-host.jar Ada
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "world";
    Path bundle = Path.of(System.getProperty("bundle", defaultBundle().toString()));
    try (EnclaveManager manager = EnclaveManager.create();
         Enclave enclave = manager.load("greeter", bundle, EnclaveOptions.defaults())) {
      Greeter greeter = enclave.service(Greeter.class);
      Greeter.Greeting greeting = greeter.greet(name);
      System.out.println(greeting.text());
      System.out.println("(visitor " + greeting.visitor() + "; enclave measurement "
          + enclave.identity().measurement().hex().substring(0, 16) + "..., svn "
          + enclave.identity().svn() + ", backend " + enclave.backend().name() + ")");
    }
  }

  /** The bundle that the build copies next to this jar: target/enclave/. */
  private static Path defaultBundle() throws URISyntaxException {
    Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return jar.resolveSibling("enclave").resolve("${rootArtifactId}-enclave.cella");
  }
}
