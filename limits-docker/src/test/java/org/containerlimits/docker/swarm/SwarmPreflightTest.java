package org.containerlimits.docker.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.containerlimits.docker.LimitProblem;
import org.junit.jupiter.api.Test;

class SwarmPreflightTest {
    private static final long CORE = 1_000_000_000L;
    private static final long GIB = 1L << 30;

    private static SwarmNodeCapacity node(String name, long cpus, long memory, long reservedCpus, long reservedMemory,
            int tasks) {
        return new SwarmNodeCapacity("id-" + name, name, true, cpus, memory, reservedCpus, reservedMemory, tasks);
    }

    private static List<LimitProblem> check(String resources, OptionalLong replicas, SwarmNodeCapacity... nodes) {
        return SwarmLimits.check(ServiceResources.parse(resources), List.of(nodes), replicas, true);
    }

    @Test
    void reservationsThatFit_giveNoProblem() {
        assertThat(check("mem_reservation=1g,cpu_reservation=500000000", OptionalLong.of(2),
                node("a", 2 * CORE, 4 * GIB, CORE, GIB, 1))).isEmpty();
    }

    @Test
    void aCpuReservationAboveEveryNodesFreeCpu_isAnError_givingEachNodesFigures() {
        List<LimitProblem> problems = check("cpu_reservation=1500000000", OptionalLong.of(1),
                node("a", 2 * CORE, 4 * GIB, CORE, 0, 2), node("b", CORE, 4 * GIB, 0, 0, 0));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.isError()).isTrue();
            assertThat(p.field()).isEqualTo("cpu_reservation");
            assertThat(p.message()).contains("no node can satisfy the reservations (1.5 cores)")
                    .contains("a has 1 of 2 cores").contains("2 tasks reserve the rest").contains("b has 1 of 1 cores");
        });
    }

    @Test
    void reservationsThatEachFitSomewhere_butNeverTogether_nameBoth() {
        List<LimitProblem> problems = check("mem_reservation=3g,cpu_reservation=1500000000", OptionalLong.of(1),
                node("cpu-rich", 4 * CORE, 2 * GIB, 0, 0, 0), node("memory-rich", CORE, 8 * GIB, 0, 0, 0));
        assertThat(problems).singleElement().satisfies(p ->
                assertThat(p.field()).isEqualTo("cpu_reservation,mem_reservation"));
    }

    @Test
    void moreReplicasThanTheNodesHaveRoomFor_isAnError() {
        List<LimitProblem> problems = check("mem_reservation=1g", OptionalLong.of(5), node("a", 2 * CORE, 3 * GIB, 0, 0, 0));
        assertThat(problems).singleElement().satisfies(p ->
                assertThat(p.message()).startsWith("only 3 of 5 replicas fit"));
    }

    @Test
    void aGlobalServiceWarnsOfEachNodeThatCannotTakeItsTask() {
        List<LimitProblem> problems = check("mem_reservation=2g", OptionalLong.empty(),
                node("big", CORE, 8 * GIB, 0, 0, 0), node("small", CORE, GIB, 0, 0, 0));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.isError()).isFalse();
            assertThat(p.message()).startsWith("node small cannot take this global service's task");
        });
    }

    @Test
    void limitsAboveEveryNode_areErrors() {
        List<LimitProblem> problems = check("nano_cpus=3000000000,mem_limit=16g", OptionalLong.of(1),
                node("a", 2 * CORE, 8 * GIB, 0, 0, 0));
        assertThat(problems).extracting(LimitProblem::field).containsExactly("nano_cpus", "mem_limit");
        assertThat(problems.get(0).message()).isEqualTo("3 cores is more than any node has (the most, on a, is 2);"
                + " every node's daemon would refuse the task's container");
    }

    @Test
    void aSwarmWithNoSchedulableNode_isAnError() {
        var drained = new SwarmNodeCapacity("id", "a", false, 2 * CORE, GIB, 0, 0, 0);
        assertThat(SwarmLimits.check(ServiceResources.none(), List.of(drained), OptionalLong.of(1), true))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("no node that takes tasks"));
    }

    @Test
    void uncarriedLimits_areErrorsInStrictMode_andWarningsInLenientMode() {
        ServiceResources r = ServiceResources.parse("memswap_limit=1g,mem_limit=512m");
        var node = List.of(node("a", 2 * CORE, 8 * GIB, 0, 0, 0));
        assertThat(SwarmLimits.check(r, node, OptionalLong.of(1), true)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isTrue());
        assertThat(SwarmLimits.check(r, node, OptionalLong.of(1), false)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse());
    }
}
