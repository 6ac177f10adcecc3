// The build failed (invoker.properties); it must have failed on convergence, for the three
// dependencies the BOM pins, and not for some other reason.
def log = new File(basedir, 'build.log').text
['org.slf4j:slf4j-api', 'commons-io:commons-io', 'org.apache.commons:commons-lang3'].each { ga ->
    assert log.contains("Dependency convergence error for ${ga}:") : "no convergence error for ${ga} in build.log"
}
true
