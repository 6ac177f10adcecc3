package org.containerlimits.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.containerlimits.core.ResourceLimits;
import org.containerlimits.core.policy.LimitsPolicy;
import org.containerlimits.core.recommend.Recommendation;
import org.containerlimits.core.recommend.Recommender;
import org.containerlimits.core.recommend.UsageRecorder;
import org.containerlimits.docker.stats.ServiceReading;
import org.containerlimits.docker.stats.StatsReader;
import org.containerlimits.docker.swarm.ServiceResources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code limits service recommend --watch DURATION [--interval DURATION] [--policy LIMITS] [--json]
 * SERVICE}: what a Swarm service's task limits should be, from what its tasks on this node used,
 * all of them in one history (as VPA aggregates a deployment's pods), with the
 * {@code limits service update} line that applies it. Only what a service spec carries is
 * recommended: {@code --limit-cpu}, {@code --limit-memory}, {@code --reserve-memory} and
 * {@code --limit-pids}.
 *
 * <pre>
 * $ limits service recommend --watch 1m web
 * web: 118 readings over 59s (confidence 0.00)
 *   ...
 *   apply        limits service update --limit-cpu 1.15 --limit-memory 250m --reserve-memory 250m --limit-pids 64 web
 *   or           docker service update --limit-cpu 1.15 --limit-memory 250m --reserve-memory 250m --limit-pids 64 web
 * </pre>
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend a Swarm service's task limits from what its tasks on this node used.")
public final class ServiceRecommendCommand implements Callable<Integer> {

    @ParentCommand
    ServiceCommand service;

    @Option(names = "--watch", paramLabel = "DURATION", required = true,
            description = "Read the service's tasks for this long: 30s, 10m, 2h.")
    String watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "Time between readings (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--policy", paramLabel = "LIMITS",
            description = "Ceilings the recommendation is clamped to, as limits: mem_limit=4g,nano_cpus=2000000000.")
    String policy;

    @Option(names = "--json", description = "One JSON object instead of the text.")
    boolean json;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's id or name.")
    String target;

    @Override
    public Integer call() throws InterruptedException {
        Duration watchFor = DurationText.parse("--watch", watch);
        Duration every = DurationText.parse("--interval", interval);
        LimitsPolicy ceilings = policy == null ? null : RecommendCommand.ceilings(policy);
        Recommender recommender = Recommender.defaults();
        UsageRecorder recorder = new UsageRecorder(recommender);

        ServiceResources current = service.swarm(Duration.ofSeconds(60)).read(target);
        long end = System.nanoTime() + watchFor.toNanos();
        try (WatchStop stop = new WatchStop(); StatsReader reader = StatsReader.builder(service.client()).build()) {
            while (System.nanoTime() < end && !stop.requested()) {
                long roundStart = System.nanoTime();
                // Each call reads every local task over one window, side by side.
                ServiceReading reading = reader.readService(target);
                reading.tasks().forEach(task -> recorder.record(target, task));
                long rest = every.toNanos() - (System.nanoTime() - roundStart);
                if (rest > 0) {
                    Thread.sleep(Math.min(rest, Math.max(0, end - System.nanoTime())) / 1_000_000);
                }
            }
            print(recorder, recommender, current, ceilings);
        }
        return 0;
    }

    private void print(UsageRecorder recorder, Recommender recommender, ServiceResources current,
            LimitsPolicy ceilings) {
        Recommendation r = recommender.recommend(recorder.historyFor(target), carried(current.limits()), ceilings);
        r = new Recommendation(r.container(), r.current(), carried(r.recommended()), r.confidence(), r.evidence(),
                r.notes(), r.adjustments());
        ResourceLimits changes = r.changes();
        String flags = String.join(" ", ServiceOptions.flags(ServiceResources.of(changes)));
        PrintWriter out = service.spec.commandLine().getOut();
        out.println(json ? RecommendCommand.json(r) : RecommendCommand.text(r, "service update", flags));
        out.flush();
        if (r.evidence().samples() == 0) {
            var err = service.spec.commandLine().getErr();
            err.println("limits: service " + target + " had no running task on this node to read");
            err.flush();
        }
    }

    /** What a service spec carries of a container's limits: CPU, memory, its reservation and pids. */
    static ResourceLimits carried(ResourceLimits limits) {
        ResourceLimits.Builder b = ResourceLimits.builder();
        limits.memory().ifPresent(b::memory);
        limits.memoryReservation().ifPresent(b::memoryReservation);
        limits.cpu().ifPresent(b::cpu);
        limits.pidsLimit().ifPresent(b::pidsLimit);
        return b.build();
    }
}
