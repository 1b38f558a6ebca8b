package dev.cella.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An identity to load a bundle under in a test — another SVN, product id or signer — for testing
 * upgrades, downgrade refusal and sealing across versions without building and signing each
 * version. The extension re-packages the verified bundle with the changed manifest and re-signs
 * it: with a <em>mock signer</em>, a key generated once per JVM for each {@link #signer()} name,
 * or with the real key in {@link #signingKey()} to keep the signer and change only the version.
 *
 * <p><b>Insecure by design</b>: a mock identity is a claim the test makes up, so it is only
 * accepted where this annotation may appear — {@link EnclaveTest#insecureMockIdentity()} and
 * {@link InjectEnclave#insecureMockIdentity()} — and every use is logged at WARNING. The bundle
 * measurement changes with the manifest.
 *
 * <pre>{@code
 * @EnclaveTest(bundle = "target/app.cella", insecureMockIdentity = @MockIdentity(svn = 3))
 * @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 4, signingKey = "signing-key.pem")) Enclave next;
 * @InjectEnclave(insecureMockIdentity = @MockIdentity(signer = "attacker")) Enclave impostor;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface MockIdentity {
  /** The value meaning "keep the bundle's own". */
  int KEEP = -1;

  /** The security version, 0 to 65535, or {@link #KEEP}. */
  int svn() default KEEP;

  /** The product id, 0 to 65535, or {@link #KEEP}. */
  int productId() default KEEP;

  /**
   * The mock signer's name: bundles re-signed with the same name in one JVM share a signer, other
   * names give other signers. Ignored when {@link #signingKey()} is set.
   */
  String signer() default "mock";

  /**
   * A PKCS#8 PEM signing key file to re-sign with instead of a mock signer (relative paths
   * against the working directory); give the bundle's real key to keep its signer.
   */
  String signingKey() default "";
}
