import dev.cella.bundle.Bundle
import dev.cella.bundle.BundleSigningKey
import dev.cella.bundle.SigningPayload
import dev.cella.bundle.UnsignedBundle
import java.nio.file.Files

def target = new File(basedir, 'target')
def log = new File(basedir, 'build.log').text
def key = BundleSigningKey.readPem(new File(basedir, 'test-only-signing-key.pem').toPath())

// Build 1: signed with the key from the environment variable (kept aside by build 1's outputFile).
def signed = Bundle.open(new File(target, 'first.cella').toPath())
assert signed.signer() == key.signerId()

// Build 3: the unsigned bundle and its payload; the payload is what an HSM signs. The signed
// bundle of build 2 is gone, so no stale bundle is shipped by mistake.
assert log.contains('a signed bundle of an earlier build')
assert !new File(target, 'plain-app-1.0.cella').exists()
def unsigned = UnsignedBundle.open(new File(target, 'plain-app-1.0-unsigned.cella').toPath())
def payload = Files.readAllBytes(new File(target, 'plain-app-1.0.cella-payload').toPath())
assert payload.length == SigningPayload.LENGTH
assert payload == unsigned.signingPayload().toBytes()
assert unsigned.measurement() == signed.measurement()
assert log.contains('signing externally (two-step); not used: the key in $CELLA_IT_SIGNING_KEY')
def hsmSigned = Bundle.read(unsigned.attachSignature(key.sign(payload), key.publicKey()))
assert hsmSigned.measurement() == signed.measurement()

// Build 4: refused, saying how to configure signing.
assert log.contains('cella:bundle needs a way to sign')
key.close()
return true
