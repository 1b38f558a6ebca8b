// The generated project built (goal.txt); now run its host against its enclave, as the README says.
def project = new File(basedir, 'project/demo')
def jar = new File(project, 'host/target/demo-host.jar')
assert jar.isFile()
assert new File(project, 'host/target/enclave/demo-enclave.cella').isFile()
assert new File(project, 'enclave/signing-key.pem').isFile()

def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = new ProcessBuilder(java, '-Dcella.home=' + new File(project, 'target/cella-home').path,
    '-jar', jar.path, 'Ada').directory(project).redirectErrorStream(true).start()
def output = process.inputStream.text
assert process.waitFor() == 0 : output
assert output.contains('hello, Ada, from inside the enclave') : output
assert output.contains('backend sim') : output

// The host test ran on sim and passed.
def report = new File(project, 'host/target/surefire-reports/TEST-it.cella.demo.host.GreeterTest.xml')
assert report.isFile()
def xml = report.text
assert xml.count('<testcase ') == 2 && !xml.contains('<failure') && !xml.contains('<error') : xml

// The template's files arrived, .gitignore included (it keeps the development key out of git).
assert new File(project, '.gitignore').text.contains('signing-key.pem')
assert new File(project, '.mvn/jvm.config').text.contains('--sun-misc-unsafe-memory-access=allow')
return true
