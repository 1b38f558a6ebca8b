def log = new File(basedir, 'build.log').text
// The failure names the service, the method and the type, at build time.
assert log.contains('it.cella.opaque.Files')
assert log.contains('Files.size(File)')
assert log.contains('java.io.File cannot cross the enclave boundary')
// Nothing was written.
assert !new File(basedir, 'target/opaque-app-1.0.cella').exists()
assert !new File(basedir, 'target/opaque-app-1.0-unsigned.cella').exists()
return true
