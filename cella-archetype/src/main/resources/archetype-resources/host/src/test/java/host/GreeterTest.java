package ${package}.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ${package}.Greeter;
import dev.cella.Enclave;
import dev.cella.testing.junit.EnclaveTest;
import org.junit.jupiter.api.Test;

/**
 * Loads the enclave's bundle on the sim backend and calls it as the host does. Add more backends
 * to {@code backends} once their modules are test dependencies; a backend that cannot run on a
 * machine is skipped there, with the reason.
 */
@EnclaveTest(bundle = "target/enclave/${rootArtifactId}-enclave.cella", backends = {"sim"})
class GreeterTest {
  @Test
  void greet_answersFromInsideTheEnclave(Greeter greeter) {
    Greeter.Greeting greeting = greeter.greet("Ada");
    assertEquals("hello, Ada, from inside the enclave", greeting.text());
  }

  @Test
  void enclave_carriesTheIdentityOfItsManifest(Enclave enclave) {
    assertEquals(1, enclave.identity().productId());
    assertEquals(1, enclave.identity().svn());
    assertFalse(enclave.identity().debug());
  }
}
