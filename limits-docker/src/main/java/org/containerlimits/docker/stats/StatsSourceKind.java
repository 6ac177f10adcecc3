package org.containerlimits.docker.stats;

/**
 * Where a {@link StatsReader} reads a container's counters.
 */
public enum StatsSourceKind {
    /**
     * The container's cgroup files when they are readable from this process (the daemon runs on
     * this host and its containers' cgroups are visible here), else the Engine API; chosen per
     * container.
     */
    AUTO,
    /** Always the cgroup files; a container whose cgroup cannot be read here fails to read. */
    CGROUP,
    /** Always the Engine API's stats stream, which works for any daemon, remote ones too. */
    API
}
