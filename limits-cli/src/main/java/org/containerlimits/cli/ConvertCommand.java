package org.containerlimits.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.containerlimits.core.format.ComposeResources;
import org.containerlimits.core.format.Conversion;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.containerlimits.core.format.JupyterHubSpawner;
import org.containerlimits.core.format.KubernetesResources;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.files.ComposeFile;
import org.containerlimits.files.FileLimits;
import org.containerlimits.files.KubernetesManifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits convert --from FORMAT --to FORMAT [INPUT...]}: limits from one tool's format into
 * another's, through the model, so that every value is validated on the way. Formats:
 * {@code dockerpy} (a JSON object of docker-py keywords), {@code flags} (a {@code docker run} flag
 * line), {@code engine} (a JSON object of Engine API HostConfig fields), {@code compose} and
 * {@code kubernetes} (the JSON {@code resources} object: {@code {"limits": {...},
 * "reservations"|"requests": {...}}}), and, as input only, {@code jupyterhub} (a JSON object of
 * JupyterHub Spawner traits, {@code {"mem_limit": "1.5G", "cpu_limit": 0.5, ...}}, read by
 * {@link JupyterHubSpawner} as the spawner {@code --spawner} names applies them: {@code docker}, the
 * default, {@code swarm} or {@code kube}). INPUT is the text, as one argument or several, or standard
 * input when none or {@code -} (at most 1 MiB, UTF-8). JSON is read strictly, by {@link CliJson}: a
 * repeated key, anything after the object, deep nesting or bytes that are not UTF-8 exit 2 with one
 * line naming the line and column. Whatever one side cannot express is listed on standard error.
 *
 * <p>Whole files: {@code --from compose-file} (every service of a Compose file, {@link ComposeFile})
 * and {@code --from kubernetes-file} (every container and init container of Kubernetes manifests,
 * {@link KubernetesManifests}), YAML or JSON, read from the file INPUT names or from standard input
 * (none or {@code -}), at most 1 MiB. Each result is printed by its name: JSON targets as one object
 * of the results by name, {@code flags} as one {@code NAME: FLAGS} line each, and
 * {@code --to compose-file} / {@code kubernetes-file} as a whole file again (a Kubernetes name as a
 * Compose service has its slashes as dashes; a Compose service as Kubernetes is a Pod of that name).
 * Documents without containers are listed on standard error as skipped. A bad file exits 2 naming
 * line, column, path, value and rule; hostile YAML (an alias bomb, deep nesting, a repeated key, a
 * Java tag, bytes that are not UTF-8) in one line.
 *
 * <pre>
 * $ limits convert --from flags --to kubernetes --memory 1g --cpus 2.5 --pids-limit 100
 * {
 *   "limits": {
 *     "cpu": "2500m",
 *     "memory": "1Gi"
 *   }
 * }
 * limits: no equivalent in kubernetes: pids_limit = 100: Kubernetes limits pids per pod ...
 * </pre>
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert limits between formats: dockerpy, flags, engine, compose, kubernetes;"
                + " whole files: compose-file, kubernetes-file (INPUT is the file, or - for standard input);"
                + " and from jupyterhub (Spawner traits).")
public final class ConvertCommand implements Callable<Integer> {

    /** The formats, by their names on the command line. */
    static final List<String> FORMATS = List.of("dockerpy", "flags", "engine", "compose", "kubernetes");

    /** Whole files, YAML or JSON: every service of a Compose file, every container of Kubernetes manifests. */
    static final List<String> FILE_FORMATS = List.of("compose-file", "kubernetes-file");

    /** The formats read but not written. */
    static final List<String> INPUT_ONLY = List.of("jupyterhub");

    /** {@code --spawner}'s names, in the order of {@link JupyterHubSpawner.Mapping}. */
    static final List<String> SPAWNERS = List.of("docker", "swarm", "kube");

    @ParentCommand
    LimitsCommand parent;

    @Option(names = "--from", required = true, paramLabel = "FORMAT", description = "The input's format.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "The output's format.")
    String to;

    @Option(names = "--spawner", paramLabel = "SPAWNER", description = "With --from jupyterhub: whose way of"
            + " applying the traits, docker (DockerSpawner, the default), swarm (SwarmSpawner) or kube (KubeSpawner).")
    String spawner;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "The input; standard input when none or -. With --from compose-file or kubernetes-file: the file.")
    List<String> input = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        String source = format("--from", from, true);
        String target = format("--to", to, false);
        if (FILE_FORMATS.contains(source)) {
            spawner(source);
            return convertFile(source, target);
        }
        if (FILE_FORMATS.contains(target)) {
            throw new BadInputException(List.of("--to " + target + ": only from a whole file, --from compose-file or"
                    + " --from kubernetes-file"));
        }
        JupyterHubSpawner.Mapping mapping = spawner(source);
        Conversion<ResourceLimits> read = read(source, mapping, input());
        List<String> notes = new ArrayList<>();
        String heading = mapping == null ? "no equivalent in limits, from " + source
                : "from jupyterhub as " + mapping.spawner() + " applies it";
        read.unconverted().forEach(u -> notes.add(heading + ": " + u));
        PrintWriter out = parent.spec.commandLine().getOut();
        ResourceLimits limits = read.value();
        switch (target) {
            case "dockerpy" -> out.println(CliJson.write(limits.toDockerPy()));
            case "flags" -> out.println(DockerCliFlags.line(limits));
            case "engine" -> out.println(CliJson.write(EngineHostConfig.write(limits).value()));
            case "compose" -> written(out, ComposeResources.write(limits), target, notes);
            default -> written(out, KubernetesResources.write(limits), target, notes);
        }
        out.flush();
        PrintWriter err = parent.spec.commandLine().getErr();
        notes.forEach(n -> err.println("limits: " + n));
        err.flush();
        return 0;
    }

    /**
     * A whole file: every service or container converted, in file order. JSON targets print one
     * object of the results by name; flags print a {@code NAME: FLAGS} line each; the file formats
     * write the file.
     */
    private int convertFile(String source, String target) throws IOException {
        FileLimits file = readFile(source);
        List<String> notes = new ArrayList<>();
        for (FileLimits.Entry e : file.entries()) {
            e.limits().unconverted().forEach(u -> notes.add(e.name() + ": no equivalent in limits, from " + source + ": " + u));
        }
        file.skipped().forEach(s -> notes.add("skipped: " + s));
        Map<String, ResourceLimits> limits = file.limits();
        PrintWriter out = parent.spec.commandLine().getOut();
        switch (target) {
            case "compose-file" -> {
                Map<String, ResourceLimits> services = new LinkedHashMap<>();
                // A Kubernetes name (Deployment/web/container/app) as a Compose service name.
                limits.forEach((name, l) -> services.put(name.replace('/', '-'), l));
                Conversion<String> c = ComposeFile.write(services);
                out.print(c.value());
                c.unconverted().forEach(u -> notes.add("no equivalent in " + target + ": " + u));
            }
            case "kubernetes-file" -> {
                Conversion<String> c = KubernetesManifests.write(limits);
                out.print(c.value());
                c.unconverted().forEach(u -> notes.add("no equivalent in " + target + ": " + u));
            }
            case "flags" -> limits.forEach((name, l) -> out.println(name + ": " + DockerCliFlags.line(l)));
            default -> {
                Map<String, Object> byName = new LinkedHashMap<>();
                limits.forEach((name, l) -> {
                    Conversion<Map<String, Object>> c = switch (target) {
                        case "dockerpy" -> new Conversion<>(l.toDockerPy(), List.of());
                        case "engine" -> EngineHostConfig.write(l);
                        case "compose" -> ComposeResources.write(l);
                        default -> KubernetesResources.write(l);
                    };
                    byName.put(name, c.value());
                    c.unconverted().forEach(u -> notes.add(name + ": no equivalent in " + target + ": " + u));
                });
                out.println(CliJson.write(byName));
            }
        }
        out.flush();
        PrintWriter err = parent.spec.commandLine().getErr();
        notes.forEach(n -> err.println("limits: " + LimitsCommand.oneLine(n)));
        err.flush();
        return 0;
    }

    /** The file INPUT names, or standard input for none or {@code -}. */
    private FileLimits readFile(String source) throws IOException {
        if (input.size() > 1) {
            throw new BadInputException(List.of("INPUT: one file, or - for standard input, with --from " + source
                    + "; got " + input.size() + " arguments"));
        }
        return InputFile.read(source, input.isEmpty() ? "-" : input.get(0), "INPUT", parent.in());
    }

    private static void written(PrintWriter out, Conversion<Map<String, Object>> c, String target, List<String> notes) {
        out.println(CliJson.write(c.value()));
        c.unconverted().forEach(u -> notes.add("no equivalent in " + target + ": " + u));
    }

    private static String format(String option, String name, boolean input) {
        String f = name.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f) && !FILE_FORMATS.contains(f) && !(input && INPUT_ONLY.contains(f))) {
            throw new BadInputException(List.of(option + " '" + name + "': expected one of " + String.join(", ", FORMATS)
                    + ", " + String.join(", ", FILE_FORMATS)
                    + (input ? ", " + String.join(", ", INPUT_ONLY) : " (" + String.join(", ", INPUT_ONLY)
                            + " is read, not written)")));
        }
        return f;
    }

    /** {@code --spawner}'s mapping with {@code --from jupyterhub}, else null; refused with any other input. */
    private JupyterHubSpawner.Mapping spawner(String source) {
        if (!source.equals("jupyterhub")) {
            if (spawner != null) {
                throw new BadInputException(List.of("--spawner '" + spawner + "': only with --from jupyterhub"));
            }
            return null;
        }
        int i = spawner == null ? 0 : SPAWNERS.indexOf(spawner.toLowerCase(Locale.ROOT));
        if (i < 0) {
            throw new BadInputException(List.of("--spawner '" + spawner + "': expected one of "
                    + String.join(", ", SPAWNERS)));
        }
        return JupyterHubSpawner.Mapping.values()[i];
    }

    /** The arguments, or standard input: bounded, and strict UTF-8. */
    private String input() throws IOException {
        if (!input.isEmpty() && !input.equals(List.of("-"))) {
            return String.join(" ", input);
        }
        try {
            return CliJson.readText(parent.in());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(List.of("INPUT: " + e.getMessage()));
        }
    }

    private static Conversion<ResourceLimits> read(String format, JupyterHubSpawner.Mapping spawner, String text) {
        if (format.equals("flags")) {
            return DockerCliFlags.read(text);
        }
        Map<String, Object> map;
        try {
            map = CliJson.readObject(text, "for " + format);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(List.of("INPUT: " + e.getMessage()));
        }
        return switch (format) {
            case "dockerpy" -> new Conversion<>(ResourceLimits.fromDockerPy(map), List.of());
            case "engine" -> EngineHostConfig.read(map);
            case "compose" -> ComposeResources.read(map);
            case "jupyterhub" -> JupyterHubSpawner.read(map, spawner);
            default -> KubernetesResources.read(map);
        };
    }
}
