import dev.cella.bundle.Bundle
import dev.cella.bundle.BundleSigningKey
import dev.cella.bundle.SigningPayload
import dev.cella.bundle.UnsignedBundle
import java.nio.file.Files

def target = new File(basedir, 'target')
def log = new File(basedir, 'build.log').text
def key = BundleSigningKey.readPem(new File(basedir, 'test-only-signing-key.pem').toPath())

// Build 1: signed with the key from the environment variable.
def signed = Bundle.open(new File(target, 'plain-app-1.0.cella').toPath())
assert signed.signer() == key.signerId()

// Build 2: the unsigned bundle and its payload; the payload is what an HSM signs.
def unsigned = UnsignedBundle.open(new File(target, 'plain-app-1.0-unsigned.cella').toPath())
def payload = Files.readAllBytes(new File(target, 'plain-app-1.0.cella-payload').toPath())
assert payload.length == SigningPayload.LENGTH
assert payload == unsigned.signingPayload().toBytes()
assert unsigned.measurement() == signed.measurement()
assert !new File(target, 'not-written.cella').exists()
def hsmSigned = Bundle.read(unsigned.attachSignature(key.sign(payload), key.publicKey()))
assert hsmSigned.measurement() == signed.measurement()

// Build 3: refused, saying how to configure signing.
assert log.contains('needs exactly one way to sign')
key.close()
return true
