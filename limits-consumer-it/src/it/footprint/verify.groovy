// The run-time class path of a project that declares each module (the module's jar and everything
// it brings at compile and run-time scope): jar count and MiB, printed and written to footprint.md;
// and the light footprint's rules, which fail the build when broken.
def choices = [
    'limits-core'             : 'limits-core',
    'limits-files'            : 'limits-files',
    'limits-docker'           : 'limits-docker',
    'limits-docker-client'    : 'limits-docker + limits-docker-client',
    'limits-docker-client-tls': 'limits-docker + limits-docker-client + bcpkix-jdk18on (TLS)',
    'limits-micrometer'       : 'limits-micrometer (with limits-docker)',
]
def jarsOf = { String dir ->
    def file = new File(basedir, "${dir}/target/runtime-classpath.txt")
    assert file.isFile() : "no class path written by ${dir}"
    def text = file.text.trim()
    text.isEmpty() ? [] : text.split(File.pathSeparator).collect { new File(it) }
}
def mib = { long bytes -> String.format(Locale.ROOT, '%.2f', bytes / 1048576d) }
def lines = ['| you declare | jars | MiB |', '|---|---:|---:|']
def found = [:]
choices.each { dir, label ->
    def jars = jarsOf(dir)
    jars.each { assert it.isFile() : "${it} is not a file" }
    long bytes = jars.sum(0L) { it.length() }
    found[dir] = jars
    lines << "| ${label} | ${jars.size()} | ${mib(bytes)} |"
    println "[footprint] ${dir}: ${jars.size()} jars, ${mib(bytes)} MiB: " + jars.collect { it.name }.join(' ')
}
def table = lines.join('\n')
println '[footprint]\n' + table
new File(basedir, 'footprint.md').text = table + '\n'

def names = { String dir -> found[dir].collect { it.name } }
def banned = { String dir, List<String> patterns ->
    def bad = names(dir).findAll { n -> patterns.any { n.startsWith(it) } }
    assert bad.isEmpty() : "${dir} brings ${bad}: the light footprint (README, 'Use it from Maven') is broken"
}
banned('limits-docker', ['docker-java-core-', 'docker-java-transport', 'bcprov-', 'bcpkix-', 'bcutil-', 'httpclient5-', 'guava-'])
banned('limits-micrometer', ['docker-java-core-', 'docker-java-transport', 'bcprov-', 'bcpkix-', 'bcutil-'])
banned('limits-docker-client', ['bcprov-', 'bcpkix-', 'bcutil-'])
assert names('limits-docker').any { it.startsWith('docker-java-api-') }
assert names('limits-docker-client').any { it.startsWith('docker-java-core-') }
assert names('limits-docker-client').any { it.startsWith('docker-java-transport-httpclient5-') }
assert names('limits-docker-client-tls').any { it.startsWith('bcprov-jdk18on-') }
true
