package org.containerlimits.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.containerlimits.docker.Mismatch;
import org.containerlimits.docker.swarm.AppliedServiceLimits;
import org.containerlimits.docker.swarm.ServiceField;
import org.containerlimits.docker.swarm.SwarmLimits;
import org.containerlimits.docker.swarm.SwarmNodeCapacity;
import org.containerlimits.docker.swarm.TaskLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service inspect [--json] SERVICE}: the resources a service's spec asks for each
 * task, and each running task: its slot, node, state, container and, for a task on this node, the
 * limits its container carries ({@code docker inspect}) and where they differ from the spec.
 *
 * <pre>
 * $ limits service inspect web
 * service:    q3v1x0c8w8m1l7f2k9h4d5e6a
 * resources:  mem_limit=1g,nano_cpus=2010000000
 * flags:      --limit-cpu 2.01 --limit-memory 1g
 * SLOT  NODE              STATE      CONTAINER     LIMITS                              MISMATCHES
 * 1     docker-desktop    running    3f9c0a1b2c3d  mem_limit=1g,nano_cpus=2010000000   none
 * </pre>
 *
 * <p>{@code --json} prints one object: {@code service}, {@code resources} (the text form),
 * {@code spec} (each field of {@code TaskTemplate.Resources} by its Engine name, a number or
 * {@code null}), and {@code tasks}, each with {@code taskId}, {@code slot}, {@code nodeId},
 * {@code node}, {@code state}, {@code containerId}, {@code limits} (the container's, {@code null}
 * for a task on another node) and {@code mismatches} ({@code field}, {@code requested},
 * {@code effective}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a Swarm service's resources and each running task's container limits.")
public final class ServiceInspectCommand implements Callable<Integer> {

    private static final String FORMAT = "%-5s %-17s %-10s %-13s %-35s %s";

    @ParentCommand
    ServiceCommand service;

    @Option(names = "--json", description = "One JSON object instead of the text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's id or name.")
    String target;

    @Override
    public Integer call() {
        SwarmLimits swarm = service.swarm(null);
        AppliedServiceLimits back = swarm.readBack(target);
        Map<String, String> hostnames = new LinkedHashMap<>();
        for (SwarmNodeCapacity node : swarm.nodes()) {
            hostnames.put(node.nodeId(), node.hostname());
        }
        PrintWriter out = service.spec.commandLine().getOut();
        if (json) {
            out.println(CliJson.write(json(back, hostnames)));
        } else {
            text(out, back, hostnames);
        }
        out.flush();
        return 0;
    }

    private static void text(PrintWriter out, AppliedServiceLimits back, Map<String, String> hostnames) {
        out.println("service:    " + back.serviceId());
        out.println("resources:  " + (back.effective().isEmpty() ? "none" : back.effective()));
        out.println("flags:      " + String.join(" ", ServiceOptions.flags(back.effective())));
        out.println(String.format(Locale.ROOT, FORMAT, "SLOT", "NODE", "STATE", "CONTAINER", "LIMITS", "MISMATCHES")
                .stripTrailing());
        for (TaskLimits t : back.tasks()) {
            String mismatches = t.mismatches().isEmpty() ? (t.isLocal() ? "none" : "--")
                    : String.join("; ", t.mismatches().stream().map(Mismatch::toString).toList());
            out.println(String.format(Locale.ROOT, FORMAT, t.slot() == 0 ? "--" : Integer.toString(t.slot()),
                    hostnames.getOrDefault(t.nodeId(), shortId(t.nodeId())), t.state(),
                    t.containerId().map(ServiceInspectCommand::shortId).orElse("--"),
                    t.container().map(l -> l.isEmpty() ? "none" : l.toString()).orElse("(on another node)"),
                    mismatches));
        }
    }

    private static Map<String, Object> json(AppliedServiceLimits back, Map<String, String> hostnames) {
        Map<String, Object> spec = new LinkedHashMap<>();
        for (ServiceField field : ServiceField.values()) {
            OptionalLong value = ServiceOptions.engineValue(field, back.effective());
            spec.put(field.engineField(), value.isPresent() ? value.getAsLong() : null);
        }
        List<Object> tasks = new ArrayList<>();
        for (TaskLimits t : back.tasks()) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("taskId", t.taskId());
            task.put("slot", t.slot());
            task.put("nodeId", t.nodeId());
            task.put("node", hostnames.get(t.nodeId()));
            task.put("state", t.state());
            task.put("containerId", t.containerId().orElse(null));
            task.put("limits", t.container().map(Object::toString).orElse(null));
            List<Object> mismatches = new ArrayList<>();
            for (Mismatch m : t.mismatches()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("field", m.field());
                one.put("requested", m.requested());
                one.put("effective", m.effective());
                mismatches.add(one);
            }
            task.put("mismatches", mismatches);
            tasks.add(task);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("service", back.serviceId());
        result.put("resources", back.effective().toString());
        result.put("spec", spec);
        result.put("tasks", tasks);
        return result;
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
