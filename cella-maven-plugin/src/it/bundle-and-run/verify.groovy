import dev.cella.bundle.Bundle
import dev.cella.bundle.NetworkGrant

def target = new File(basedir, 'target')
def log = new File(basedir, 'build.log').text

// Two clean builds of the same sources give the same measurement.
def first = new File(basedir, 'first.measurement').text.trim()
def second = new File(basedir, 'second.measurement').text.trim()
assert first ==~ /[0-9a-f]{96}/
assert first == second

// The bundle verifies and holds the project's jar, its runtime dependency and the runtime.
def bundle = Bundle.open(new File(target, 'greeter-app-1.0.cella').toPath())
assert bundle.measurement().hex() == second
def jars = bundle.libraries().keySet()
assert jars.contains('greeter-app-1.0.jar')
assert jars.contains('jackson-core-' + jacksonVersion + '.jar')
assert jars.contains('cella-enclave-' + cellaVersion + '.jar')
assert jars.contains('cella-protocol-' + cellaVersion + '.jar')
assert jars.contains('cella-api-' + cellaVersion + '.jar')
// The runtime re-measures its bundle inside isolated backends, so cella-bundle travels with it;
// the untrusted host runtime never does.
assert jars.contains('cella-bundle-' + cellaVersion + '.jar')
assert !jars.any { it.startsWith('cella-host') }

def manifest = bundle.manifest()
assert manifest.name() == 'greeter-app'
assert manifest.entry().get() == 'it.cella.greeter.GreeterApp'
assert manifest.services()*.interfaceName() == ['it.cella.greeter.Greeter']
assert manifest.productId() == 7
assert manifest.svn() == 2
assert manifest.limits().heapMebibytes() == 128
assert manifest.limits().threads() == 8
assert manifest.hostAccess().network() == [new NetworkGrant.Connect('db.internal', 5432)]

// cella:run ran the bundle on sim, with jackson-core inside the enclave.
assert log.contains('{"greeting":"hello, world"}')

// The bundle is attached: install put it into the tests' repository with classifier cella.
def installed = new File(localRepositoryPath, 'it/cella/greeter-app/1.0/greeter-app-1.0-cella.cella')
assert installed.isFile()
assert Bundle.open(installed.toPath()).measurement().hex() == second
return true
